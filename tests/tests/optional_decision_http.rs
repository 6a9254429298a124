//! The guard's decision is the only one: on an optional route, `Option<CurrentToken>` (and
//! `CurrentToken`, `CurrentUser`) read what the route's guard decided and never verify a
//! token from somewhere the route does not read. Over HTTP, for every part of a
//! requirement that could leak, with a token present only in a location the route ignores.

mod common;

use auth_runtime::{
    AuthManager, CurrentToken, CurrentUser, Guard, LoadUser, RequireTokenLayer, RequirementSpec,
    TokenLocation, require_token,
    requirement::{Entry, Expected, Requirement},
    testing::TestToken,
};
use axum::{Router, extract::Path, http::StatusCode, routing::get};
use common::*;

fn seen(token: Option<CurrentToken>) -> String {
    match token {
        Some(t) => format!("token for {}", t.sub()),
        None => "anonymous".to_owned(),
    }
}

// The reported case: an admin area that reads only the cookie.
#[require_token(optional, location = "cookie", claims(role = "admin"))]
async fn claims_page(token: Option<CurrentToken>) -> String {
    seen(token)
}

#[require_token(optional, location = "cookie", kind = "refresh")]
async fn refresh_page(token: Option<CurrentToken>) -> String {
    seen(token)
}

#[require_token(optional, location = "cookie", fresh)]
async fn fresh_page(token: Option<CurrentToken>) -> String {
    seen(token)
}

#[require_token(optional, location = "cookie", scope("users:read"))]
async fn scope_page(token: Option<CurrentToken>) -> String {
    seen(token)
}

#[require_token(optional, location = "cookie", scope(admin = true))]
async fn scope_entry_page(token: Option<CurrentToken>) -> String {
    seen(token)
}

#[require_token(optional, location = "cookie", sub = "username")]
async fn binding_page(Path(_username): Path<String>, token: Option<CurrentToken>) -> String {
    seen(token)
}

// Reads the header only: a cookie token must not leak in the other direction.
#[require_token(optional, location = "header", claims(role = "admin"))]
async fn header_page(token: Option<CurrentToken>) -> String {
    seen(token)
}

// A plain `CurrentToken` taken beside an optional guard: anonymous is 401, never a token
// from elsewhere. The attribute refuses this at compile time, so the guard is written by
// hand, as code without the macro may.
struct OptionalCookieAdmin;
impl RequirementSpec for OptionalCookieAdmin {
    const REQUIREMENT: &'static Requirement = &Requirement::new()
        .optional()
        .locations(&[TokenLocation::Cookie])
        .claims(&[Entry::new("role", Expected::String("admin"))]);
}

async fn required_extractor(_: Guard<OptionalCookieAdmin>, token: CurrentToken) -> String {
    format!("token for {}", token.sub())
}

struct User(String);

impl LoadUser<()> for User {
    type Rejection = StatusCode;

    async fn load(token: &CurrentToken, _: &()) -> Result<Self, StatusCode> {
        Ok(User(token.sub().to_owned()))
    }
}

#[require_token(optional, location = "cookie", claims(role = "admin"))]
async fn user_page(CurrentUser(user): CurrentUser<User>) -> String {
    format!("user {}", user.0)
}

fn app() -> Router {
    Router::new()
        .route("/claims", get(claims_page))
        .route("/refresh", get(refresh_page))
        .route("/fresh", get(fresh_page))
        .route("/scope", get(scope_page))
        .route("/scope-entry", get(scope_entry_page))
        .route("/users/{username}", get(binding_page))
        .route("/header", get(header_page))
        .route("/required", get(required_extractor))
        .route("/user", get(user_page))
}

/// Every optional cookie route, with a token that meets its requirement.
fn cookie_routes(m: &AuthManager) -> Vec<(&'static str, String)> {
    let admin = TestToken::new(m, "root").claim("role", "admin").sign();
    vec![
        ("/claims", admin.clone()),
        ("/refresh", TestToken::new(m, "root").refresh().sign()),
        ("/fresh", TestToken::new(m, "root").fresh().sign()),
        (
            "/scope",
            TestToken::new(m, "root").scope("users:read").sign(),
        ),
        ("/scope-entry", admin_token(m, "root")),
        ("/users/root", auth_token(m, "root")),
        ("/required", admin.clone()),
        ("/user", admin),
    ]
}

/// A valid auth token that meets none of the routes' requirements: not admin, not fresh,
/// no scope, another subject.
fn mallory(m: &AuthManager) -> String {
    auth_token(m, "mallory")
}

fn cookie(token: &str) -> String {
    format!("Cookie: auth_token={token}")
}

/// The cookie a route reads: refresh routes have a cookie of their own.
fn cookie_for(path: &str, token: &str) -> String {
    match path {
        "/refresh" => format!("Cookie: refresh_token={token}"),
        _ => cookie(token),
    }
}

fn bearer(token: &str) -> String {
    format!("Authorization: Bearer {token}")
}

#[tokio::test]
async fn a_header_token_on_an_optional_cookie_route_is_anonymous() {
    let m = manager();
    let s = TestServer::start(app(), m.clone()).await;
    let header_only = mallory(&m);
    for (path, _) in cookie_routes(&m) {
        let res = s.get(path, &[&bearer(&header_only)]).await;
        match path {
            "/required" | "/user" => res.assert_refused(401, Some("Bearer"), "missing_token"),
            _ => assert_eq!(
                (res.status, res.body.as_str()),
                (200, "anonymous"),
                "{path}: the header token was never checked against the route"
            ),
        }
    }
    // Even a token that would meet the requirement is not read from a place the route
    // does not read.
    for (path, good) in cookie_routes(&m) {
        let res = s.get(path, &[&bearer(&good)]).await;
        assert_ne!(res.body, "token for root", "{path}");
    }
}

#[tokio::test]
async fn the_route_still_decides_on_its_own_location() {
    let m = manager();
    let s = TestServer::start(app(), m.clone()).await;
    for (path, good) in cookie_routes(&m) {
        let res = s.get(path, &[&cookie_for(path, &good)]).await;
        let expected = if path == "/user" {
            "user root"
        } else {
            "token for root"
        };
        assert_eq!((res.status, res.body.as_str()), (200, expected), "{path}");
        // With a good cookie, a header token beside it changes nothing.
        let res = s
            .get(path, &[&cookie_for(path, &good), &bearer(&mallory(&m))])
            .await;
        assert_eq!(res.body, expected, "{path} with a stray header token");
    }
    // A present but failing token in the route's own location is still refused.
    let bad = mallory(&m);
    s.get("/claims", &[&cookie(&bad)])
        .await
        .assert_refused(403, None, "forbidden");
    s.get("/refresh", &[&cookie_for("/refresh", &bad)])
        .await
        .assert_invalid_token();
    // A refresh token in the auth cookie is not where a refresh route looks.
    let refresh = TestToken::new(&m, "root").refresh().sign();
    assert_eq!(
        s.get("/refresh", &[&cookie(&refresh)]).await.body,
        "anonymous"
    );
    s.get("/fresh", &[&cookie(&bad)])
        .await
        .assert_invalid_token();
    s.get("/scope", &[&cookie(&bad)])
        .await
        .assert_insufficient_scope();
    s.get("/scope-entry", &[&cookie(&bad)])
        .await
        .assert_insufficient_scope();
    assert_eq!(s.get("/users/root", &[&cookie(&bad)]).await.status, 403);
}

#[tokio::test]
async fn a_cookie_token_on_an_optional_header_route_is_anonymous() {
    let m = manager();
    let s = TestServer::start(app(), m.clone()).await;
    let res = s.get("/header", &[&cookie(&mallory(&m))]).await;
    assert_eq!((res.status, res.body.as_str()), (200, "anonymous"));
    let admin = TestToken::new(&m, "root").claim("role", "admin").sign();
    let res = s.get("/header", &[&bearer(&admin)]).await;
    assert_eq!(res.body, "token for root");
}

// ---- a layer and a handler attribute on the same request: two decisions ----

#[require_token(claims(role = "admin"))]
async fn admin_under_layer(token: CurrentToken) -> String {
    format!("token for {}", token.sub())
}

#[require_token(optional, location = "cookie", claims(role = "admin"))]
async fn optional_cookie_under_layer(token: Option<CurrentToken>) -> String {
    seen(token)
}

#[require_token(location = "cookie")]
async fn cookie_under_layer(token: CurrentToken) -> String {
    format!("token for {}", token.sub())
}

async fn unguarded_under_layer(token: Option<CurrentToken>) -> String {
    seen(token)
}

const HEADER_ONLY: &[TokenLocation] = &[TokenLocation::Header];
const COOKIE_ONLY: &[TokenLocation] = &[TokenLocation::Cookie];

const OPTIONAL_ADMIN_COOKIE: Requirement = Requirement::new()
    .optional()
    .locations(COOKIE_ONLY)
    .claims(&[Entry::new("role", Expected::String("admin"))]);

fn layered_app() -> Router {
    let required = Router::new()
        .route("/required/admin", get(admin_under_layer))
        .route(
            "/required/optional-cookie",
            get(optional_cookie_under_layer),
        )
        .route("/required/cookie", get(cookie_under_layer))
        .route_layer(RequireTokenLayer::new(
            Requirement::new().locations(HEADER_ONLY),
        ));
    let optional = Router::new()
        .route("/optional/admin", get(admin_under_layer))
        .route("/optional/unguarded", get(unguarded_under_layer))
        .route_layer(RequireTokenLayer::new(OPTIONAL_ADMIN_COOKIE));
    required.merge(optional)
}

#[tokio::test]
async fn layer_and_attribute_both_decide_and_the_stricter_wins() {
    let m = manager();
    let s = TestServer::start(layered_app(), m.clone()).await;
    let user = mallory(&m);
    let admin = TestToken::new(&m, "root").claim("role", "admin").sign();

    // The layer accepts any header token; the handler also wants admin.
    assert_eq!(
        s.get("/required/admin", &[&bearer(&user)]).await.status,
        403
    );
    let res = s.get("/required/admin", &[&bearer(&admin)]).await;
    assert_eq!((res.status, res.body.as_str()), (200, "token for root"));
    s.get("/required/admin", &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");

    // The layer accepted a header token the handler's optional cookie guard never
    // checked: the handler sees no token.
    let res = s.get("/required/optional-cookie", &[&bearer(&user)]).await;
    assert_eq!((res.status, res.body.as_str()), (200, "anonymous"));
    let res = s
        .get(
            "/required/optional-cookie",
            &[&bearer(&admin), &cookie(&admin)],
        )
        .await;
    assert_eq!(res.body, "token for root", "the token both accepted");

    // Two guards accepting two different tokens: refused as two credentials.
    s.get("/required/cookie", &[&bearer(&user), &cookie(&admin)])
        .await
        .assert_invalid_request();
    let res = s
        .get("/required/cookie", &[&bearer(&admin), &cookie(&admin)])
        .await;
    assert_eq!((res.status, res.body.as_str()), (200, "token for root"));
}

#[tokio::test]
async fn an_optional_layer_that_decided_anonymous_yields_none() {
    let m = manager();
    let s = TestServer::start(layered_app(), m.clone()).await;
    let user = mallory(&m);
    let admin = TestToken::new(&m, "root").claim("role", "admin").sign();

    // The layer reads only the cookie; a header token is not the handler's token.
    let res = s.get("/optional/unguarded", &[&bearer(&admin)]).await;
    assert_eq!((res.status, res.body.as_str()), (200, "anonymous"));
    let res = s.get("/optional/unguarded", &[&cookie(&admin)]).await;
    assert_eq!(res.body, "token for root");
    s.get("/optional/unguarded", &[&cookie(&user)])
        .await
        .assert_refused(403, None, "forbidden");

    // The layer let the request through anonymously; the handler's own guard still
    // demands an admin token from the header.
    s.get("/optional/admin", &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");
    assert_eq!(
        s.get("/optional/admin", &[&bearer(&user)]).await.status,
        403
    );
    let res = s.get("/optional/admin", &[&bearer(&admin)]).await;
    assert_eq!((res.status, res.body.as_str()), (200, "token for root"));
}
