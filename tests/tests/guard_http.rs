//! The guard over real HTTP, with requirements built by hand (no macro): the decision
//! table, locations, `CurrentToken`, error responses and the manager hooks.

mod common;

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use auth_runtime::{
    AuthManager, CurrentToken, Guard, RequirementSpec, TokenKind, TokenLocation,
    requirement::{Entry, Expected, PathBinding, Requirement},
    testing::TestToken,
};
use axum::{
    Json, Router,
    routing::{get, post},
};
use common::*;

struct AnyToken;
impl RequirementSpec for AnyToken {
    const REQUIREMENT: &'static Requirement = &Requirement::new();
}

struct OwnProfile;
impl RequirementSpec for OwnProfile {
    const REQUIREMENT: &'static Requirement = &Requirement::new()
        .bindings(&[PathBinding::new("sub", "username")])
        .overrides(&[Entry::new("admin", Expected::Bool(true))]);
}

struct Admin;
impl RequirementSpec for Admin {
    const REQUIREMENT: &'static Requirement =
        &Requirement::new().scope(&[Entry::new("admin", Expected::Bool(true))]);
}

struct ReadUsers;
impl RequirementSpec for ReadUsers {
    const REQUIREMENT: &'static Requirement = &Requirement::new().scope_names(&["users:read"]);
}

struct CustomClaim;
impl RequirementSpec for CustomClaim {
    const REQUIREMENT: &'static Requirement = &Requirement::new().claims(&[Entry::new(
        "custom_claim",
        Expected::String("Arbitrary Required Value"),
    )]);
}

struct RefreshOnly;
impl RequirementSpec for RefreshOnly {
    const REQUIREMENT: &'static Requirement = &Requirement::new().kind(TokenKind::Refresh);
}

struct Fresh;
impl RequirementSpec for Fresh {
    const REQUIREMENT: &'static Requirement = &Requirement::new().fresh();
}

struct Optional;
impl RequirementSpec for Optional {
    const REQUIREMENT: &'static Requirement = &Requirement::new().optional();
}

struct FromCookie;
impl RequirementSpec for FromCookie {
    const REQUIREMENT: &'static Requirement =
        &Requirement::new().locations(&[TokenLocation::Cookie]);
}

struct FromQuery;
impl RequirementSpec for FromQuery {
    const REQUIREMENT: &'static Requirement =
        &Requirement::new().locations(&[TokenLocation::Query]);
}

struct HeaderOrCookie;
impl RequirementSpec for HeaderOrCookie {
    const REQUIREMENT: &'static Requirement =
        &Requirement::new().locations(&[TokenLocation::Header, TokenLocation::Cookie]);
}

/// Binds a parameter that the route below does not have.
struct BindsMissingParam;
impl RequirementSpec for BindsMissingParam {
    const REQUIREMENT: &'static Requirement =
        &Requirement::new().bindings(&[PathBinding::new("sub", "user_id")]);
}

async fn whoami(_: Guard<AnyToken>, token: CurrentToken) -> String {
    token.sub().to_owned()
}

fn router() -> Router {
    Router::new()
        .route("/protected", get(whoami))
        .route(
            "/users/{username}",
            get(|_: Guard<OwnProfile>| async { "profile" }),
        )
        .route("/admin", get(|_: Guard<Admin>| async { "admin" }))
        .route("/users", get(|_: Guard<ReadUsers>| async { "users" }))
        .route("/custom", get(|_: Guard<CustomClaim>| async { "custom" }))
        .route("/refresh", post(|_: Guard<RefreshOnly>| async { "refreshed" }))
        .route("/fresh", get(|_: Guard<Fresh>| async { "fresh" }))
        .route(
            "/optional",
            get(|_: Guard<Optional>, token: Option<CurrentToken>| async move {
                token.map_or("anonymous".to_owned(), |t| t.sub().to_owned())
            }),
        )
        .route("/cookie", get(|_: Guard<FromCookie>| async { "cookie" }))
        .route("/query", get(|_: Guard<FromQuery>| async { "query" }))
        .route("/either", get(|_: Guard<HeaderOrCookie>| async { "either" }))
        .route(
            "/broken/{username}",
            get(|_: Guard<BindsMissingParam>| async { "never" }),
        )
        .route("/plain", get(|token: CurrentToken| async move { token.sub().to_owned() }))
        .route(
            "/plain-optional",
            get(|token: Option<CurrentToken>| async move {
                token.map_or("anonymous".to_owned(), |t| t.sub().to_owned())
            }),
        )
        .route(
            "/body",
            post(|_: Guard<Admin>, Json(body): Json<serde_json::Value>| async move {
                body.to_string()
            }),
        )
}

async fn server() -> (TestServer, AuthManager) {
    let manager = manager();
    (TestServer::start(router(), manager.clone()).await, manager)
}

#[tokio::test]
async fn a_valid_auth_token_reaches_the_handler_with_its_claims() {
    let (server, manager) = server().await;
    let token = auth_token(&manager, "alice");
    let res = server.get_with_token("/protected", &token).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body, "alice");
}

#[tokio::test]
async fn no_token_is_401_with_a_bare_bearer_challenge() {
    let (server, _) = server().await;
    let res = server.get("/protected", &[]).await;
    res.assert_refused(401, Some("Bearer"), "missing_token");
    assert_eq!(res.header("cache-control"), Some("no-store"));
    assert_eq!(res.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn a_forged_token_is_401_invalid_token_and_never_echoed() {
    let (server, manager) = server().await;
    let token = auth_token(&manager, "alice");
    let (head, sig) = token.rsplit_once('.').unwrap();
    let forged = format!("{head}.{}", sig.chars().rev().collect::<String>());
    let res = server.get_with_token("/protected", &forged).await;
    res.assert_invalid_token();
    assert!(
        !res.body.contains(&forged[..20]),
        "body echoes the token: {}",
        res.body
    );
}

#[tokio::test]
async fn path_binding_allows_the_owner_and_forbids_others() {
    let (server, manager) = server().await;
    let alice = auth_token(&manager, "alice");
    assert_eq!(
        server.get_with_token("/users/alice", &alice).await.status,
        200
    );
    // Percent-encoded form of the same name is the same decision.
    assert_eq!(
        server.get_with_token("/users/%61lice", &alice).await.status,
        200
    );
    for other in [
        "/users/bob",
        "/users/Alice",
        "/users/ALICE",
        "/users/alice%20",
        "/users/al%00ice",
        "/users/alice%2F..%2Fbob",
    ] {
        let res = server.get_with_token(other, &alice).await;
        res.assert_refused(403, None, "forbidden");
    }
}

#[tokio::test]
async fn invalid_utf8_in_a_bound_path_segment_is_403_not_500() {
    let (server, manager) = server().await;
    let alice = auth_token(&manager, "alice");
    let res = server.get_with_token("/users/%FF", &alice).await;
    assert_eq!(res.status, 403, "{res:?}");
}

#[tokio::test]
async fn override_waives_the_path_binding() {
    let (server, manager) = server().await;
    let root = TestToken::new(&manager, "root").claim("admin", true).sign();
    assert_eq!(
        server.get_with_token("/users/alice", &root).await.status,
        200
    );
    // Also when the grant sits inside the scope map.
    let scoped = admin_token(&manager, "root");
    assert_eq!(
        server.get_with_token("/users/alice", &scoped).await.status,
        200
    );
    let not_admin = TestToken::new(&manager, "eve")
        .claim("admin", "true")
        .sign();
    assert_eq!(
        server
            .get_with_token("/users/alice", &not_admin)
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn scope_entries_and_names_are_403_insufficient_scope_when_missing() {
    let (server, manager) = server().await;
    let admin = admin_token(&manager, "root");
    let user = auth_token(&manager, "alice");
    let fake = TestToken::new(&manager, "eve").claim("admin", true).sign();
    assert_eq!(server.get_with_token("/admin", &admin).await.status, 200);
    for token in [&user, &fake] {
        server
            .get_with_token("/admin", token)
            .await
            .assert_insufficient_scope();
    }
    let reader = TestToken::new(&manager, "r")
        .scope("users:read users:write")
        .sign();
    let listed = TestToken::new(&manager, "r").scope(["users:read"]).sign();
    let lookalike = TestToken::new(&manager, "r").scope("users:readonly").sign();
    assert_eq!(server.get_with_token("/users", &reader).await.status, 200);
    assert_eq!(server.get_with_token("/users", &listed).await.status, 200);
    assert_eq!(
        server.get_with_token("/users", &lookalike).await.status,
        403
    );
}

#[tokio::test]
async fn literal_claims_must_match_exactly() {
    let (server, manager) = server().await;
    let good = TestToken::new(&manager, "a")
        .claim("custom_claim", "Arbitrary Required Value")
        .sign();
    let bad = TestToken::new(&manager, "a")
        .claim("custom_claim", "arbitrary required value")
        .sign();
    assert_eq!(server.get_with_token("/custom", &good).await.status, 200);
    server
        .get_with_token("/custom", &bad)
        .await
        .assert_refused(403, None, "forbidden");
}

#[tokio::test]
async fn kinds_are_mutually_exclusive() {
    let (server, manager) = server().await;
    let auth = auth_token(&manager, "alice");
    let refresh = TestToken::new(&manager, "alice").refresh().sign();
    assert_eq!(
        server
            .post(
                "/refresh",
                &[&format!("Authorization: Bearer {refresh}")],
                ""
            )
            .await
            .status,
        200
    );
    server
        .post("/refresh", &[&format!("Authorization: Bearer {auth}")], "")
        .await
        .assert_invalid_token();
    server
        .get_with_token("/protected", &refresh)
        .await
        .assert_invalid_token();
}

#[tokio::test]
async fn fresh_routes_refuse_tokens_minted_by_a_refresh() {
    let (server, manager) = server().await;
    let fresh = TestToken::new(&manager, "alice").fresh().sign();
    let refreshed = auth_token(&manager, "alice");
    assert_eq!(server.get_with_token("/fresh", &fresh).await.status, 200);
    server
        .get_with_token("/fresh", &refreshed)
        .await
        .assert_invalid_token();
}

#[tokio::test]
async fn optional_routes_run_without_a_token_but_refuse_a_bad_one() {
    let (server, manager) = server().await;
    assert_eq!(server.get("/optional", &[]).await.body, "anonymous");
    let token = auth_token(&manager, "alice");
    assert_eq!(
        server.get_with_token("/optional", &token).await.body,
        "alice"
    );
    server
        .get_with_token("/optional", "a.b.c")
        .await
        .assert_invalid_token();
}

#[tokio::test]
async fn current_token_works_without_a_guard() {
    let (server, manager) = server().await;
    let token = auth_token(&manager, "alice");
    assert_eq!(server.get_with_token("/plain", &token).await.body, "alice");
    server
        .get("/plain", &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");
    assert_eq!(server.get("/plain-optional", &[]).await.body, "anonymous");
    assert_eq!(
        server.get_with_token("/plain-optional", &token).await.body,
        "alice"
    );
    server
        .get_with_token("/plain-optional", "x.y.z")
        .await
        .assert_invalid_token();
}

#[tokio::test]
async fn cookie_and_query_locations() {
    let (server, manager) = server().await;
    let token = auth_token(&manager, "alice");
    let cookie = format!("Cookie: theme=dark; auth_token={token}");
    assert_eq!(server.get("/cookie", &[&cookie]).await.status, 200);
    // A cookie route does not read the header.
    server
        .get_with_token("/cookie", &token)
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");
    assert_eq!(
        server
            .get(&format!("/query?access_token={token}"), &[])
            .await
            .status,
        200
    );
    // The header route does not read the query (off by default).
    server
        .get(&format!("/protected?access_token={token}"), &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");
    let dup = format!("/query?access_token={token}&access_token={token}");
    server.get(&dup, &[]).await.assert_invalid_request();
    let two_cookies = [cookie.as_str(), cookie.as_str()];
    server
        .get("/cookie", &two_cookies)
        .await
        .assert_invalid_request();
}

#[tokio::test]
async fn a_token_in_two_locations_is_400_invalid_request() {
    let (server, manager) = server().await;
    let token = auth_token(&manager, "alice");
    let header = format!("Authorization: Bearer {token}");
    let cookie = format!("Cookie: auth_token={token}");
    assert_eq!(server.get("/either", &[&cookie]).await.status, 200);
    assert_eq!(server.get("/either", &[&header]).await.status, 200);
    server
        .get("/either", &[&header, &cookie])
        .await
        .assert_invalid_request();
}

#[tokio::test]
async fn two_authorization_headers_are_400() {
    let (server, manager) = server().await;
    let token = auth_token(&manager, "alice");
    let h = format!("Authorization: Bearer {token}");
    server
        .get("/protected", &[&h, &h])
        .await
        .assert_invalid_request();
}

#[tokio::test]
async fn forbidden_requests_are_refused_before_the_body_is_read() {
    let (server, manager) = server().await;
    let user = auth_token(&manager, "alice");
    let res = server
        .post(
            "/body",
            &[&format!("Authorization: Bearer {user}")],
            "{not json",
        )
        .await;
    assert_eq!(
        res.status, 403,
        "the guard decides before Json rejects: {res:?}"
    );
    let admin = admin_token(&manager, "root");
    let res = server
        .post(
            "/body",
            &[&format!("Authorization: Bearer {admin}")],
            "{not json",
        )
        .await;
    assert_eq!(
        res.status, 400,
        "an allowed request reaches the body extractor"
    );
}

#[tokio::test]
async fn a_binding_to_a_parameter_the_route_lacks_fails_closed_with_500() {
    let (server, manager) = server().await;
    let token = auth_token(&manager, "alice");
    let res = server.get_with_token("/broken/alice", &token).await;
    res.assert_refused(500, None, "server_error");
}

#[tokio::test]
async fn a_guard_without_a_manager_answers_500() {
    let server = TestServer::start_plain(router()).await;
    let token = TestToken::new(&manager(), "alice").sign();
    let res = server.get_with_token("/protected", &token).await;
    res.assert_refused(500, None, "server_error");
    assert!(!res.body.contains("alice"));
}

#[tokio::test]
async fn revoked_tokens_are_refused_on_every_request_even_when_cached() {
    let revoked: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
    let calls = Arc::new(AtomicUsize::new(0));
    let manager = {
        let revoked = revoked.clone();
        let calls = calls.clone();
        AuthManager::builder()
            .issuer(ISSUER)
            .signing_key(signing_key(auth_runtime::Algorithm::HS256))
            .is_revoked(move |token: &CurrentToken| {
                calls.fetch_add(1, Ordering::SeqCst);
                let jti = token.jti().unwrap_or_default().to_owned();
                revoked.lock().unwrap().contains(&jti)
            })
            .build()
            .unwrap()
    };
    let server = TestServer::start(router(), manager.clone()).await;
    let token = auth_token(&manager, "alice");
    assert_eq!(
        server.get_with_token("/protected", &token).await.status,
        200
    );
    assert_eq!(
        server.get_with_token("/protected", &token).await.status,
        200
    );
    let jti = manager.verify(&token).unwrap().jti().unwrap().to_owned();
    revoked.lock().unwrap().push(jti);
    server
        .get_with_token("/protected", &token)
        .await
        .assert_invalid_token();
    assert!(
        calls.load(Ordering::SeqCst) >= 3,
        "checked on every request"
    );
}
