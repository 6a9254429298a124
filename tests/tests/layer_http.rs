//! Route-wide protection with `RequireTokenLayer`, over HTTP.

mod common;

use auth_runtime::{
    CurrentToken, RequireTokenLayer, TokenKind,
    requirement::{Entry, Expected, PathBinding, Requirement},
    testing::TestToken,
};
use axum::{Router, extract::Path, routing::get};
use common::*;

fn app() -> Router {
    let public = Router::new().route("/health", get(|| async { "ok" }));
    let protected = Router::new()
        .route(
            "/orders",
            get(|token: CurrentToken| async move { token.sub().to_owned() }),
        )
        .route(
            "/orders/{id}",
            get(|Path(id): Path<String>| async move { id }),
        )
        .route_layer(RequireTokenLayer::new(Requirement::new()));
    const OWNER: Requirement = Requirement::new()
        .bindings(&[PathBinding::new("sub", "username")])
        .overrides(&[Entry::new("admin", Expected::Bool(true))]);
    let owned = Router::new()
        .route("/users/{username}/inbox", get(|| async { "inbox" }))
        .route_layer(RequireTokenLayer::new(OWNER));
    let refresh = Router::new()
        .route("/refresh", get(|| async { "refreshed" }))
        .route_layer(RequireTokenLayer::new(
            Requirement::new().kind(TokenKind::Refresh),
        ));
    public.merge(protected).merge(owned).merge(refresh)
}

#[tokio::test]
async fn every_wrapped_route_requires_a_token_and_public_ones_do_not() {
    let manager = manager();
    let s = TestServer::start(app(), manager.clone()).await;
    let alice = auth_token(&manager, "alice");
    assert_eq!(s.get("/health", &[]).await.body, "ok");
    s.get("/orders", &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");
    s.get("/orders/7", &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");
    s.get_with_token("/orders", "not.a.token")
        .await
        .assert_invalid_token();
    let res = s.get_with_token("/orders", &alice).await;
    assert_eq!(
        (res.status, res.body.as_str()),
        (200, "alice"),
        "CurrentToken reads the layer's token"
    );
    assert_eq!(s.get_with_token("/orders/7", &alice).await.body, "7");
    assert_eq!(
        s.get("/nowhere", &[]).await.status,
        404,
        "unknown paths stay 404"
    );
}

#[tokio::test]
async fn a_layer_requirement_binds_path_parameters_and_honours_overrides() {
    let manager = manager();
    let s = TestServer::start(app(), manager.clone()).await;
    let alice = auth_token(&manager, "alice");
    let root = admin_token(&manager, "root");
    assert_eq!(
        s.get_with_token("/users/alice/inbox", &alice).await.status,
        200
    );
    s.get_with_token("/users/bob/inbox", &alice)
        .await
        .assert_refused(403, None, "forbidden");
    assert_eq!(
        s.get_with_token("/users/bob/inbox", &root).await.status,
        200
    );
}

#[tokio::test]
async fn a_layer_checks_the_token_kind() {
    let manager = manager();
    let s = TestServer::start(app(), manager.clone()).await;
    let refresh = TestToken::new(&manager, "alice").refresh().sign();
    assert_eq!(s.get_with_token("/refresh", &refresh).await.status, 200);
    s.get_with_token("/refresh", &auth_token(&manager, "alice"))
        .await
        .assert_invalid_token();
    s.get_with_token("/orders", &refresh)
        .await
        .assert_invalid_token();
}

#[tokio::test]
async fn a_layer_without_a_manager_answers_500() {
    let s = TestServer::start_plain(app()).await;
    let token = auth_token(&manager(), "alice");
    s.get_with_token("/orders", &token)
        .await
        .assert_refused(500, None, "server_error");
    assert_eq!(s.get("/health", &[]).await.status, 200);
}
