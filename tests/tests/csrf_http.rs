//! CSRF protection over HTTP: a token taken from a cookie on an unsafe method must come
//! from the request's own origin (or a trusted one); header tokens are never affected.

mod common;

use auth_runtime::{
    Algorithm, AuthManager, CsrfProtection, CurrentToken, Key, require_token, testing::TestToken,
};
use axum::{Router, routing::post};
use common::*;

#[require_token(location = "cookie")]
async fn cookie_action(token: CurrentToken) -> String {
    format!("done for {}", token.sub())
}

#[require_token(location = "cookie", optional)]
async fn optional_cookie_action(token: Option<CurrentToken>) -> String {
    token.map_or("anonymous".to_owned(), |t| t.sub().to_owned())
}

#[require_token]
async fn header_action(token: CurrentToken) -> String {
    format!("done for {}", token.sub())
}

fn app() -> Router {
    Router::new()
        .route("/cookie", post(cookie_action).get(cookie_action))
        .route("/optional", post(optional_cookie_action))
        .route("/header", post(header_action))
}

fn manager_with(protection: CsrfProtection) -> AuthManager {
    AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(Key::hmac(Algorithm::HS256, hmac_secret(Algorithm::HS256)).unwrap())
        .csrf(protection)
        .trusted_origins(["https://app.example.com"])
        .build()
        .unwrap()
}

/// `POST path` with the token in the auth cookie and `headers`.
async fn post_cookie(
    s: &TestServer,
    path: &str,
    token: &str,
    headers: &[&str],
) -> common::Response {
    let cookie = format!("Cookie: auth_token={token}");
    let mut all = vec![cookie.as_str()];
    all.extend_from_slice(headers);
    s.post(path, &all, "").await
}

#[track_caller]
fn assert_csrf_rejected(res: &common::Response) {
    res.assert_refused(403, None, "csrf_rejected");
}

#[tokio::test]
async fn cross_origin_unsafe_requests_with_cookie_tokens_are_refused() {
    let m = manager_with(CsrfProtection::FetchMetadata);
    let s = TestServer::start(app(), m.clone()).await;
    let t = auth_token(&m, "alice");
    let ok = |res: common::Response| {
        assert_eq!((res.status, res.body.as_str()), (200, "done for alice"));
    };
    // The request's own origin, or none of the browser headers: through.
    ok(post_cookie(&s, "/cookie", &t, &["Sec-Fetch-Site: same-origin"]).await);
    ok(post_cookie(&s, "/cookie", &t, &["Origin: http://localhost"]).await);
    ok(post_cookie(&s, "/cookie", &t, &[]).await);
    // Another site, a sibling (same-site), another origin, `null`: refused before the
    // token is even verified.
    for headers in [
        &["Sec-Fetch-Site: cross-site"][..],
        &["Sec-Fetch-Site: same-site"],
        &["Origin: https://evil.example"],
        &["Origin: http://localhost:8080"],
        &["Origin: null"],
        &["Sec-Fetch-Site: cross-site", "Origin: https://evil.example"],
    ] {
        assert_csrf_rejected(&post_cookie(&s, "/cookie", &t, headers).await);
        assert_csrf_rejected(&post_cookie(&s, "/cookie", "not.a.token", headers).await);
    }
    // A trusted origin may.
    ok(post_cookie(
        &s,
        "/cookie",
        &t,
        &[
            "Sec-Fetch-Site: cross-site",
            "Origin: https://app.example.com",
        ],
    )
    .await);
    // Safe methods are never checked.
    let get = s
        .get(
            "/cookie",
            &[
                &format!("Cookie: auth_token={t}"),
                "Sec-Fetch-Site: cross-site",
            ],
        )
        .await;
    assert_eq!(get.status, 200);
    // A header token is not ambient: a cross-site request carrying one is the caller's own.
    let res = s
        .post(
            "/header",
            &[
                &format!("Authorization: Bearer {t}"),
                "Sec-Fetch-Site: cross-site",
            ],
            "",
        )
        .await;
    assert_eq!(res.status, 200);
    // An optional cookie route refuses too, rather than treat the caller as anonymous.
    assert_csrf_rejected(&post_cookie(&s, "/optional", &t, &["Sec-Fetch-Site: cross-site"]).await);
    let anonymous = s
        .post("/optional", &["Sec-Fetch-Site: cross-site"], "")
        .await;
    assert_eq!(anonymous.body, "anonymous");
}

#[tokio::test]
async fn strict_mode_refuses_requests_without_browser_headers() {
    let m = manager_with(CsrfProtection::Strict);
    let s = TestServer::start(app(), m.clone()).await;
    let t = auth_token(&m, "alice");
    assert_csrf_rejected(&post_cookie(&s, "/cookie", &t, &[]).await);
    let res = post_cookie(&s, "/cookie", &t, &["Sec-Fetch-Site: same-origin"]).await;
    assert_eq!(res.status, 200);
}

#[tokio::test]
async fn double_submit_is_flask_jwt_extended_compatible() {
    let m = manager_with(CsrfProtection::DoubleSubmit);
    let s = TestServer::start(app(), m.clone()).await;
    let t = TestToken::new(&m, "alice")
        .claim("csrf", "3f6c-uuid")
        .sign();
    let res = post_cookie(&s, "/cookie", &t, &["X-CSRF-TOKEN: 3f6c-uuid"]).await;
    assert_eq!((res.status, res.body.as_str()), (200, "done for alice"));
    assert_csrf_rejected(&post_cookie(&s, "/cookie", &t, &[]).await);
    assert_csrf_rejected(&post_cookie(&s, "/cookie", &t, &["X-CSRF-TOKEN: 3f6c-uuiX"]).await);
    let without_claim = auth_token(&m, "alice");
    assert_csrf_rejected(
        &post_cookie(&s, "/cookie", &without_claim, &["X-CSRF-TOKEN: anything"]).await,
    );
}

#[tokio::test]
async fn off_lets_everything_through() {
    let m = manager_with(CsrfProtection::Off);
    let s = TestServer::start(app(), m.clone()).await;
    let t = auth_token(&m, "alice");
    let res = post_cookie(&s, "/cookie", &t, &["Sec-Fetch-Site: cross-site"]).await;
    assert_eq!(res.status, 200);
}

#[test]
fn trusted_origins_are_checked_at_build_time() {
    let err = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(Key::hmac(Algorithm::HS256, hmac_secret(Algorithm::HS256)).unwrap())
        .trusted_origins(["app.example.com"])
        .build()
        .unwrap_err();
    assert_eq!(err.setting(), "trusted_origins");
}
