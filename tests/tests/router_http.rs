//! The `router` example (flask-jwt-router's README) over HTTP: every row of its table, the
//! token in the header and as `?auth=`, the entity loaded from the token, and the
//! requests that try to reach an allow-listed or ignored route by another spelling.

mod common;

use std::time::Duration;

use auth_examples::ports::router;
use auth_runtime::{
    AuthManager, ProtectAllLayer, TABLE_CLAIM, public, require_token, routing, testing::TestToken,
};
use axum::http::Method;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use common::*;
use serde_json::{Value, json};

fn manager() -> AuthManager {
    router::manager_from_env(|name| (name == "AUTH_SECRET").then(|| SECRET.to_owned()))
        .expect("manager")
}

async fn serve() -> (TestServer, AuthManager) {
    let manager = manager();
    let server = TestServer::start_plain(router::app(manager.clone())).await;
    (server, manager)
}

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64")).expect("JSON")
}

/// Registers `name` and returns the token the answer carries.
async fn register(s: &TestServer, name: &str) -> String {
    let res = s
        .post("/api/v1/register", &[], &json!({"name": name}).to_string())
        .await;
    assert_eq!(res.status, 200, "register: {}", res.body);
    let body = res.json();
    assert_eq!(body["message"], "User successfully created.");
    body["token"].as_str().expect("a token").to_owned()
}

#[tokio::test]
async fn tokens_last_thirty_days_and_are_read_from_auth_in_the_query() {
    assert_eq!(
        manager().auth_max_age(),
        Duration::from_secs(30 * 24 * 60 * 60)
    );
    let (s, _) = serve().await;
    let token = register(&s, "ada").await;
    let claims = claims_of(&token);
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        30 * 86400
    );
    let by_query = s.get(&format!("/api/v1/cars?auth={token}"), &[]).await;
    assert_eq!(by_query.status, 200, "{}", by_query.body);
    // Two credentials in one request are refused, as everywhere.
    let both = s
        .get(
            &format!("/api/v1/cars?auth={token}"),
            &[&format!("Authorization: Bearer {token}")],
        )
        .await;
    both.assert_invalid_request();
}

#[tokio::test]
async fn the_example_answers_its_table() {
    let (s, _) = serve().await;
    // GET /: no auth at all.
    let index = s.get("/", &[]).await;
    assert_eq!(index.status, 200, "{}", index.body);

    // Register: the entity's id and table in the token.
    let token = register(&s, "ada").await;
    let claims = claims_of(&token);
    assert_eq!(
        (&claims["sub"], &claims[TABLE_CLAIM]),
        (&json!("1"), &json!("users"))
    );

    // Login: a registered user, and an unknown one.
    let login = s.post("/api/v1/login", &[], r#"{"name":"ada"}"#).await;
    assert_eq!(login.status, 200, "{}", login.body);
    assert_eq!(login.json()["data"], json!({"id": 1, "name": "ada"}));
    let login_token = login.json()["token"].as_str().unwrap().to_owned();
    let unknown = s.post("/api/v1/login", &[], r#"{"name":"bob"}"#).await;
    assert_eq!(unknown.status, 401);
    assert!(unknown.header("www-authenticate").is_some(), "a challenge");
    assert_eq!(unknown.error_code(), "invalid_credentials");

    // Me: the entity loaded from the token.
    let me = s.get_with_token("/api/v1/me", &login_token).await;
    assert_eq!(
        (me.status, me.json()),
        (200, json!({"data": {"id": 1, "name": "ada"}}))
    );

    // Cars: with a token in the header or the query, and without.
    let cars = s.get_with_token("/api/v1/cars", &token).await;
    assert_eq!(cars.status, 200, "{}", cars.body);
    assert!(cars.json()["cars"].is_array());
    let anonymous = s.get("/api/v1/cars", &[]).await;
    anonymous.assert_refused(401, Some("Bearer"), "missing_token");
}

#[tokio::test]
async fn a_token_naming_no_known_entity_is_refused() {
    let (s, manager) = serve().await;
    register(&s, "ada").await;
    let cases = [
        (
            "no such id",
            TestToken::new(&manager, "99").claim(TABLE_CLAIM, "users"),
        ),
        (
            "not an id",
            TestToken::new(&manager, "ada").claim(TABLE_CLAIM, "users"),
        ),
        (
            "another table",
            TestToken::new(&manager, "1").claim(TABLE_CLAIM, "teachers"),
        ),
        ("no table", TestToken::new(&manager, "1")),
    ];
    for (case, token) in cases {
        let token = token.sign();
        let res = s.get_with_token("/api/v1/me", &token).await;
        assert_eq!(res.status, 401, "{case}: {}", res.body);
        res.assert_invalid_token();
    }
}

#[tokio::test]
async fn other_paths_under_the_api_name_need_a_token() {
    let (s, manager) = serve().await;
    let token = auth_token(&manager, "1");
    for path in [
        "/api/v1",
        "/api/v1/",
        "/api/v1/users",
        "/api/v1/cars/1",
        "/elsewhere",
    ] {
        let res = s.get(path, &[]).await;
        res.assert_refused(401, Some("Bearer"), "missing_token");
        let with_token = s.get_with_token(path, &token).await;
        assert_eq!(with_token.status, 404, "{path} with a token");
    }
    // An allowed route for another method needs a token; with one, axum answers 405.
    s.get("/api/v1/register", &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");
    let res = s.get_with_token("/api/v1/register", &token).await;
    assert_eq!(res.status, 405);
}

/// The spellings that reach an allow-listed route in routers that match by prefix or on
/// the raw path: each is refused without a token (never 200), and with one is not the
/// allowed route either.
#[tokio::test]
async fn no_other_spelling_reaches_an_allowed_or_ignored_route() {
    let (s, _) = serve().await;
    let body = r#"{"name":"mallory"}"#;
    for path in [
        "/api/v1/register/",
        "/api/v1/registerx",
        "//api/v1/register",
        "/api/v1//register",
        "/API/V1/REGISTER",
        "/api/v1/REGISTER",
        "/api/v1/x/../register",
        "/api/v1/./register",
        "/api/v1/%72egister",
        "/api/v1/register%2F",
        "/api/v1/register;x",
        "/api/v1/register/..",
    ] {
        let res = s.post(path, &[], body).await;
        assert_eq!(res.status, 401, "POST {path}: {}", res.body);
    }
    // `GET /` is ignored; nothing else about `/` is.
    for (method, path) in [
        ("HEAD", "/"),
        ("POST", "/"),
        ("GET", "//"),
        ("GET", "/?x=/api/v1"),
    ] {
        let raw = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        );
        let res = s.send(raw.as_bytes()).await;
        let expected = if path.starts_with("/?") { 200 } else { 401 };
        assert_eq!(res.status, expected, "{method} {path}");
    }
}

#[public]
async fn open() -> &'static str {
    "open"
}

/// flask-jwt-router's `zip` bug: an allow-listed template with a parameter matched both
/// shorter and longer paths. Here a template allows exactly its own route.
#[tokio::test]
async fn an_allowed_template_is_not_a_prefix() {
    let app = routing::Router::new()
        .route("/pub/{id}", routing::get(open))
        .route("/pub/{id}/secret", routing::get(open))
        .route("/pub", routing::get(open))
        .layer(ProtectAllLayer::new().allow(Method::GET, "/pub/{id}"))
        .into_router();
    let s = TestServer::start(app, manager()).await;
    assert_eq!(s.get("/pub/5", &[]).await.status, 200);
    for path in ["/pub/5/secret", "/pub", "/pub/", "/pub/5/"] {
        assert_eq!(s.get(path, &[]).await.status, 401, "{path}");
    }
}

#[require_token]
async fn guarded() -> &'static str {
    "guarded"
}

#[tokio::test]
async fn every_guarded_route_of_the_example_refuses_anonymous_requests() {
    let checked = auth_runtime::testing::assert_anonymous_refused(&router::routes(manager())).await;
    assert_eq!(checked, ["GET /api/v1/me", "GET /api/v1/cars"]);
}

#[tokio::test]
#[should_panic(expected = "GET /open (")]
async fn the_sweep_names_a_guarded_route_that_answers_anonymously() {
    // A guarded handler with no manager installed answers 500: the sweep says where.
    let app = routing::Router::new().route("/open", routing::get(guarded));
    auth_runtime::testing::assert_anonymous_refused(&app).await;
}
