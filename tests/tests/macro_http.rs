//! `#[require_token]` on real axum handlers, over HTTP: every option, with the extractors
//! and return types handlers really use, in a router with its own state type.

mod common;

use auth_runtime::{AuthManager, CurrentToken, require_token, testing::TestToken};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
    routing::{get, post},
};
use common::*;
use serde_json::{Value, json};

#[derive(Clone)]
struct AppState {
    greeting: &'static str,
}

/// Any auth token; `State` after the guard.
#[require_token]
async fn protected(State(state): State<AppState>, token: CurrentToken) -> String {
    format!("{} {}", state.greeting, token.sub())
}

#[require_token(kind = "refresh")]
async fn refresh(token: CurrentToken) -> Json<Value> {
    Json(json!({"kind": token.kind().as_str()}))
}

/// Docs and other attributes stay on the handler.
#[require_token(sub = "username")]
#[allow(clippy::unused_async)]
pub async fn user_specific(Path(username): Path<String>) -> String {
    username
}

#[require_token(sub = "username", override(admin = true))]
async fn overridable(Path(username): Path<String>) -> Result<String, StatusCode> {
    Ok(username)
}

#[require_token(org = "org_id", sub = "username")]
async fn member(Path((org_id, username)): Path<(String, String)>) -> impl IntoResponse {
    format!("{username}@{org_id}")
}

#[require_token(claims(custom_claim = "Arbitrary Required Value"))]
async fn custom_claim() -> &'static str {
    "custom"
}

#[require_token(claims(roles = ["editor", "viewer"], org(id = 7, plan = "pro"), level = -1, "x-tenant" = "t1"))]
async fn rich_claims() -> &'static str {
    "rich"
}

#[require_token(scope(admin = true))]
async fn admin_dashboard() -> &'static str {
    "admin"
}

#[require_token(scope("users:read", "users:write"))]
async fn edit_users() -> &'static str {
    "users"
}

#[require_token(fresh)]
async fn change_password() -> &'static str {
    "changed"
}

#[require_token(optional)]
async fn home(token: Option<CurrentToken>) -> String {
    token.map_or_else(|| "anonymous".to_owned(), |t| t.sub().to_owned())
}

#[require_token(location = "cookie")]
async fn cookie_page() -> &'static str {
    "cookie"
}

#[require_token(location = ["header", "query"])]
async fn header_or_query() -> &'static str {
    "either"
}

#[require_token(scope(admin = true))]
async fn create_item(Json(item): Json<Value>) -> (StatusCode, Json<Value>) {
    (StatusCode::CREATED, Json(item))
}

mod renamed {
    pub(crate) use auth_runtime as my_auth;
}

#[require_token(crate = "renamed::my_auth", sub = "username")]
async fn via_renamed_crate(Path(username): Path<String>) -> String {
    username
}

fn app() -> Router {
    Router::new()
        .route("/protected", get(protected))
        .route("/refresh", post(refresh))
        .route("/user_specific_route/{username}", get(user_specific))
        .route("/overridable_route/{username}", get(overridable))
        .route("/orgs/{org_id}/members/{username}", get(member))
        .route("/custom_claim_route", get(custom_claim))
        .route("/rich", get(rich_claims))
        .route("/admin_dashboard", get(admin_dashboard))
        .route("/users", get(edit_users))
        .route("/password", post(change_password))
        .route("/", get(home))
        .route("/page", get(cookie_page))
        .route("/either", get(header_or_query))
        .route("/items", post(create_item))
        .route("/renamed/{username}", get(via_renamed_crate))
        .with_state(AppState { greeting: "hello" })
}

async fn server() -> (TestServer, AuthManager) {
    let manager = manager();
    (TestServer::start(app(), manager.clone()).await, manager)
}

#[tokio::test]
async fn bare_attribute_requires_any_auth_token_and_keeps_state() {
    let (s, m) = server().await;
    let token = auth_token(&m, "alice");
    let res = s.get_with_token("/protected", &token).await;
    assert_eq!((res.status, res.body.as_str()), (200, "hello alice"));
    s.get("/protected", &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");
    let refresh = TestToken::new(&m, "alice").refresh().sign();
    s.get_with_token("/protected", &refresh)
        .await
        .assert_invalid_token();
}

#[tokio::test]
async fn kind_refresh_accepts_only_refresh_tokens() {
    let (s, m) = server().await;
    let refresh = TestToken::new(&m, "alice").refresh().sign();
    let auth = auth_token(&m, "alice");
    let res = s
        .post(
            "/refresh",
            &[&format!("Authorization: Bearer {refresh}")],
            "",
        )
        .await;
    assert_eq!(res.json(), json!({"kind": "refresh"}));
    s.post("/refresh", &[&format!("Authorization: Bearer {auth}")], "")
        .await
        .assert_invalid_token();
}

#[tokio::test]
async fn sub_binding_and_override() {
    let (s, m) = server().await;
    let alice = auth_token(&m, "alice");
    let root = admin_token(&m, "root");
    assert_eq!(
        s.get_with_token("/user_specific_route/alice", &alice)
            .await
            .body,
        "alice"
    );
    s.get_with_token("/user_specific_route/bob", &alice)
        .await
        .assert_refused(403, None, "forbidden");
    // `override` is not on this route: root is refused too.
    assert_eq!(
        s.get_with_token("/user_specific_route/alice", &root)
            .await
            .status,
        403
    );
    assert_eq!(
        s.get_with_token("/overridable_route/alice", &root)
            .await
            .body,
        "alice"
    );
    assert_eq!(
        s.get_with_token("/overridable_route/alice", &alice)
            .await
            .status,
        200
    );
    assert_eq!(
        s.get_with_token("/overridable_route/bob", &alice)
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn several_bindings_on_a_tuple_path() {
    let (s, m) = server().await;
    let token = TestToken::new(&m, "alice")
        .claim("org", ["acme", "initech"])
        .sign();
    assert_eq!(
        s.get_with_token("/orgs/acme/members/alice", &token)
            .await
            .body,
        "alice@acme"
    );
    assert_eq!(
        s.get_with_token("/orgs/initech/members/alice", &token)
            .await
            .status,
        200
    );
    assert_eq!(
        s.get_with_token("/orgs/umbrella/members/alice", &token)
            .await
            .status,
        403
    );
    assert_eq!(
        s.get_with_token("/orgs/acme/members/bob", &token)
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn literal_claims_with_arrays_groups_negatives_and_quoted_keys() {
    let (s, m) = server().await;
    let good = TestToken::new(&m, "a")
        .claim("roles", ["viewer", "editor", "admin"])
        .claim("org", json!({"id": 7, "plan": "pro", "seats": 3}))
        .claim("level", -1)
        .claim("x-tenant", "t1")
        .sign();
    assert_eq!(s.get_with_token("/rich", &good).await.status, 200);
    for (name, value) in [
        ("roles", json!(["viewer"])),
        ("org", json!({"id": 7, "plan": "free"})),
        ("org", json!({"id": "7", "plan": "pro"})),
        ("level", json!(1)),
        ("x-tenant", json!("T1")),
    ] {
        // Every requirement holds except the one this row breaks.
        let holding = [
            ("roles", json!(["viewer", "editor"])),
            ("org", json!({"id": 7, "plan": "pro"})),
            ("level", json!(-1)),
            ("x-tenant", json!("t1")),
        ];
        let bad = holding
            .iter()
            .map(|(claim, held)| (*claim, if *claim == name { &value } else { held }))
            .fold(TestToken::new(&m, "a"), |token, (claim, v)| {
                token.claim(claim, v)
            })
            .sign();
        assert_eq!(
            s.get_with_token("/rich", &bad).await.status,
            403,
            "{name} = {value}"
        );
    }
    let custom = TestToken::new(&m, "a")
        .claim("custom_claim", "Arbitrary Required Value")
        .sign();
    assert_eq!(
        s.get_with_token("/custom_claim_route", &custom)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn scope_entries_and_names() {
    let (s, m) = server().await;
    let admin = admin_token(&m, "root");
    let top_level = TestToken::new(&m, "eve").claim("admin", true).sign();
    assert_eq!(
        s.get_with_token("/admin_dashboard", &admin).await.status,
        200
    );
    s.get_with_token("/admin_dashboard", &top_level)
        .await
        .assert_insufficient_scope();
    let both = TestToken::new(&m, "u")
        .scope("users:write users:read")
        .sign();
    let one = TestToken::new(&m, "u").scope("users:read").sign();
    assert_eq!(s.get_with_token("/users", &both).await.status, 200);
    assert_eq!(s.get_with_token("/users", &one).await.status, 403);
}

#[tokio::test]
async fn fresh_and_optional() {
    let (s, m) = server().await;
    let fresh = TestToken::new(&m, "alice").fresh().sign();
    let stale = auth_token(&m, "alice");
    let post = |t: &str| format!("Authorization: Bearer {t}");
    assert_eq!(s.post("/password", &[&post(&fresh)], "").await.status, 200);
    s.post("/password", &[&post(&stale)], "")
        .await
        .assert_invalid_token();
    assert_eq!(s.get("/", &[]).await.body, "anonymous");
    assert_eq!(s.get_with_token("/", &stale).await.body, "alice");
    s.get_with_token("/", "not.a.token")
        .await
        .assert_invalid_token();
}

#[tokio::test]
async fn locations_per_route() {
    let (s, m) = server().await;
    let token = auth_token(&m, "alice");
    assert_eq!(
        s.get("/page", &[&format!("Cookie: auth_token={token}")])
            .await
            .status,
        200
    );
    assert_eq!(s.get_with_token("/page", &token).await.status, 401);
    assert_eq!(
        s.get(&format!("/either?access_token={token}"), &[])
            .await
            .status,
        200
    );
    assert_eq!(s.get_with_token("/either", &token).await.status, 200);
    s.get(
        &format!("/either?access_token={token}"),
        &[&format!("Authorization: Bearer {token}")],
    )
    .await
    .assert_invalid_request();
}

#[tokio::test]
async fn the_guard_decides_before_the_body_is_read() {
    let (s, m) = server().await;
    let user = auth_token(&m, "alice");
    let admin = admin_token(&m, "root");
    let h = |t: &str| format!("Authorization: Bearer {t}");
    let res = s.post("/items", &[&h(&user)], "{ not json").await;
    assert_eq!(
        res.status, 403,
        "forbidden, never 422/400 from the body: {res:?}"
    );
    let res = s.post("/items", &[], "{ not json").await;
    assert_eq!(res.status, 401);
    let res = s.post("/items", &[&h(&admin)], "{ not json").await;
    assert_eq!(res.status, 400, "an allowed request reaches Json");
    let res = s.post("/items", &[&h(&admin)], r#"{"name":"x"}"#).await;
    assert_eq!((res.status, res.json()), (201, json!({"name": "x"})));
}

#[tokio::test]
async fn a_renamed_crate_path_works() {
    let (s, m) = server().await;
    let token = auth_token(&m, "alice");
    assert_eq!(
        s.get_with_token("/renamed/alice", &token).await.body,
        "alice"
    );
    assert_eq!(s.get_with_token("/renamed/bob", &token).await.status, 403);
}
