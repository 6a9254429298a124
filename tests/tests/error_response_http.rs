//! How refusals are answered over HTTP: the body codes a client can see, and the
//! application's `on_error` hook, which starts from the default RFC 6750 response.

mod common;

use auth_runtime::{AuthManager, CurrentToken, require_token};
use axum::{
    Json, Router,
    extract::Path,
    http::{StatusCode, header::WWW_AUTHENTICATE},
    response::IntoResponse,
    routing::get,
};
use common::*;
use serde_json::json;

#[require_token]
async fn protected(token: CurrentToken) -> String {
    token.sub().to_owned()
}

#[require_token(scope(admin = true))]
async fn admin() {}

#[require_token(sub = "username")]
async fn profile(Path(username): Path<String>) -> String {
    username
}

fn router() -> Router {
    Router::new()
        .route("/protected", get(protected))
        .route("/admin", get(admin))
        .route("/users/{username}", get(profile))
        .route(
            "/plain",
            get(|t: CurrentToken| async move { t.sub().to_owned() }),
        )
}

fn manager_with_hook(
    hook: impl Fn(&auth_runtime::AuthError, axum::response::Response) -> axum::response::Response
    + Send
    + Sync
    + 'static,
) -> AuthManager {
    AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(signing_key(auth_runtime::Algorithm::HS256))
        .on_error(hook)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_hook_that_replaces_the_body_keeps_the_status_and_the_rfc_6750_headers() {
    let manager = manager_with_hook(|error, default| {
        let (parts, _) = default.into_parts();
        (
            parts,
            Json(json!({"code": error.body_code(), "mine": true})),
        )
            .into_response()
    });
    let server = TestServer::start(router(), manager.clone()).await;

    let res = server.get("/protected", &[]).await;
    assert_eq!(res.status, 401);
    assert_eq!(res.header("www-authenticate"), Some("Bearer"));
    assert_eq!(res.header("cache-control"), Some("no-store"));
    assert_eq!(res.json(), json!({"code": "missing_token", "mine": true}));

    let res = server
        .get_with_token("/admin", &auth_token(&manager, "alice"))
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(
        res.header("www-authenticate"),
        Some("Bearer error=\"insufficient_scope\"")
    );
    assert_eq!(res.header("cache-control"), Some("no-store"));
    assert_eq!(
        res.json(),
        json!({"code": "insufficient_scope", "mine": true})
    );
}

#[tokio::test]
async fn the_application_can_replace_every_refusal_and_remove_headers() {
    let manager = manager_with_hook(|error, mut default| {
        default.headers_mut().remove(WWW_AUTHENTICATE);
        *default.status_mut() = StatusCode::IM_A_TEAPOT;
        let (parts, _) = default.into_parts();
        (parts, Json(json!({"code": error.status().as_u16()}))).into_response()
    });
    let server = TestServer::start(router(), manager.clone()).await;
    let res = server.get("/protected", &[]).await;
    assert_eq!(res.status, 418);
    assert_eq!(res.header("www-authenticate"), None);
    assert_eq!(res.json(), json!({"code": 401}));
    let res = server
        .get_with_token("/admin", &auth_token(&manager, "alice"))
        .await;
    assert_eq!(res.json(), json!({"code": 403}));
    let res = server.get("/plain", &[]).await;
    assert_eq!(res.status, 418, "CurrentToken uses the hook too");
}

/// Every `error` code of the README's table, each over HTTP.
#[tokio::test]
async fn every_body_code_in_the_readme_table_is_what_a_client_sees() {
    let manager = manager();
    let server = TestServer::start(router(), manager.clone()).await;
    server
        .get("/protected", &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");
    server
        .get(
            "/protected",
            &["Authorization: Bearer a.b.c", "Authorization: Bearer a.b.c"],
        )
        .await
        .assert_invalid_request();
    server
        .get_with_token("/protected", "not.a.token")
        .await
        .assert_invalid_token();
    server
        .get_with_token("/admin", &auth_token(&manager, "alice"))
        .await
        .assert_insufficient_scope();
    server
        .get_with_token("/users/bob", &auth_token(&manager, "alice"))
        .await
        .assert_refused(403, None, "forbidden");
    let unguarded = TestServer::start_plain(router()).await;
    unguarded
        .get_with_token("/protected", &auth_token(&manager, "alice"))
        .await
        .assert_refused(500, None, "server_error");
}
