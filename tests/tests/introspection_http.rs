//! Opaque tokens vouched for by an RFC 7662 introspection endpoint, over HTTP: a real
//! authorization server on 127.0.0.1 (it checks this service's Basic credentials, counts
//! its calls and answers per token), and a service whose manager's token loader is the
//! `Introspector`. Active tokens pass, inactive ones answer 401, every fault of the
//! endpoint answers 503; answers are cached by token, once per token in flight, never
//! past `exp`, and never when inactive or failed.

mod common;

use std::{sync::Arc, time::Duration};

use auth_runtime::{
    Algorithm, AuthError, AuthManager, Key, TokenKind, credential::introspection::Introspector,
};
use axum::{Router, extract::State, http::HeaderMap, routing::get};
use common::*;
use serde_json::{Value, json};
use tokio::net::TcpListener;

fn introspector(url: &str) -> Introspector {
    Introspector::builder(url)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .timeout(Duration::from_millis(400))
        .expected_issuer(AS_ISSUER)
        .expected_audience("orders-api")
        .build()
        .expect("introspector")
}

fn bearer(headers: &HeaderMap) -> Result<&str, AuthError> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(AuthError::MissingToken)
}

/// What a `credential = "opaque"` route runs, by hand: the subject and the scope.
async fn me(State(manager): State<AuthManager>, headers: HeaderMap) -> Result<String, AuthError> {
    let token = manager
        .authenticate_opaque(bearer(&headers)?, TokenKind::Auth)
        .await?;
    let scope = token.scope().and_then(Value::as_str).unwrap_or_default();
    Ok(format!("{} {scope}", token.sub()))
}

async fn renew(
    State(manager): State<AuthManager>,
    headers: HeaderMap,
) -> Result<String, AuthError> {
    let token = manager
        .authenticate_opaque(bearer(&headers)?, TokenKind::Refresh)
        .await?;
    Ok(token.sub().to_owned())
}

async fn service(introspector: Introspector) -> TestServer {
    let manager = AuthManager::builder()
        .issuer("orders-api")
        .signing_key(Key::hmac(Algorithm::HS256, [7u8; 32]).expect("key"))
        .token_loader(introspector)
        .build()
        .expect("manager");
    let app = Router::new()
        .route("/me", get(me))
        .route("/refresh", get(renew))
        .with_state(manager);
    TestServer::start_plain(app).await
}

#[track_caller]
fn assert_unavailable(response: &Response) {
    assert_eq!(response.status, 503, "{:?}", response.body);
    assert_eq!(response.error_code(), "temporarily_unavailable");
}

#[tokio::test]
async fn an_active_token_passes_with_its_subject_and_scope_and_is_cached() {
    let upstream = AuthServer::start().await;
    let server = service(introspector(&upstream.url())).await;
    upstream.answer("tok-alice", active("alice"));
    let response = server.get_with_token("/me", "tok-alice").await;
    assert_eq!(response.status, 200, "{:?}", response.body);
    assert_eq!(response.body, "alice orders:read orders:write");
    assert_eq!(upstream.hints("tok-alice"), ["access_token"]);
    for _ in 0..3 {
        assert_eq!(server.get_with_token("/me", "tok-alice").await.status, 200);
    }
    assert_eq!(
        upstream.calls("tok-alice"),
        1,
        "within the TTL the cache answers"
    );
}

#[tokio::test]
async fn a_refresh_route_hints_a_refresh_token() {
    let upstream = AuthServer::start().await;
    let server = service(introspector(&upstream.url())).await;
    upstream.answer("tok-refresh", active("alice"));
    let response = server.get_with_token("/refresh", "tok-refresh").await;
    assert_eq!(response.status, 200, "{:?}", response.body);
    assert_eq!(upstream.hints("tok-refresh"), ["refresh_token"]);
}

#[tokio::test]
async fn inactive_expired_and_foreign_tokens_answer_401_and_are_not_cached() {
    let upstream = AuthServer::start().await;
    let server = service(introspector(&upstream.url())).await;
    let with = |changes: Value| {
        let Answer::Json(mut value) = active("alice") else {
            unreachable!()
        };
        value
            .as_object_mut()
            .unwrap()
            .extend(changes.as_object().unwrap().clone());
        Answer::Json(value)
    };
    upstream.answer("tok-inactive", Answer::Json(json!({"active": false})));
    upstream.answer("tok-expired", with(json!({"exp": now() - 10})));
    upstream.answer("tok-other-iss", with(json!({"iss": "https://elsewhere"})));
    upstream.answer("tok-other-aud", with(json!({"aud": "billing-api"})));
    upstream.answer(
        "tok-no-sub",
        Answer::Json(json!({"active": true, "iss": AS_ISSUER, "aud": "orders-api"})),
    );
    for token in [
        "tok-inactive",
        "tok-expired",
        "tok-other-iss",
        "tok-other-aud",
        "tok-no-sub",
        "tok-unknown",
    ] {
        for _ in 0..2 {
            let response = server.get_with_token("/me", token).await;
            assert_eq!(response.status, 401, "{token}: {:?}", response.body);
            assert_eq!(response.error_code(), "invalid_token", "{token}");
        }
        assert_eq!(
            upstream.calls(token),
            2,
            "{token}: a refusal is never cached"
        );
    }
}

#[tokio::test]
async fn every_fault_of_the_endpoint_answers_503_never_401() {
    let upstream = AuthServer::start().await;
    let server = service(introspector(&upstream.url())).await;
    let faults = [
        ("tok-500", Answer::Status(500)),
        ("tok-404", Answer::Status(404)),
        ("tok-html", Answer::Raw("<html>busy</html>".into())),
        ("tok-array", Answer::Raw("[true]".into())),
        (
            "tok-string-active",
            Answer::Json(json!({"active": "true", "sub": "alice"})),
        ),
        ("tok-no-active", Answer::Json(json!({"sub": "alice"}))),
        (
            "tok-huge",
            Answer::Raw(format!(
                r#"{{"active":true,"sub":"{}"}}"#,
                "a".repeat(70_000)
            )),
        ),
        (
            "tok-slow",
            Answer::Slow(
                Duration::from_millis(1500),
                json!({"active": true, "sub": "a"}),
            ),
        ),
    ];
    for (token, answer) in faults {
        upstream.answer(token, answer);
        assert_unavailable(&server.get_with_token("/me", token).await);
    }
}

#[tokio::test]
async fn bad_client_credentials_answer_503_and_are_logged_without_the_token() {
    let logs = CapturedLogs::start(tracing::Level::ERROR);
    let upstream = AuthServer::start().await;
    let wrong = Introspector::builder(upstream.url())
        .client_credentials(CLIENT_ID, "not-the-secret")
        .build()
        .expect("introspector");
    let server = service(wrong).await;
    upstream.answer("tok-secret-value", active("alice"));
    assert_unavailable(&server.get_with_token("/me", "tok-secret-value").await);
    let text = logs.text();
    assert!(
        text.contains("refused this service's client credentials"),
        "{text}"
    );
    assert!(!text.contains("tok-secret-value"), "{text}");
}

#[tokio::test]
async fn concurrent_requests_for_one_new_token_make_one_call() {
    let upstream = AuthServer::start().await;
    let server = Arc::new(service(introspector(&upstream.url())).await);
    upstream.answer(
        "tok-crowd",
        Answer::Slow(
            Duration::from_millis(200),
            json!({"active": true, "sub": "crowd", "iss": AS_ISSUER, "aud": "orders-api"}),
        ),
    );
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let server = server.clone();
        requests.spawn(async move { server.get_with_token("/me", "tok-crowd").await.status });
    }
    while let Some(status) = requests.join_next().await {
        assert_eq!(status.expect("request"), 200);
    }
    assert_eq!(upstream.calls("tok-crowd"), 1);
}

#[tokio::test]
async fn a_cached_answer_never_outlives_exp() {
    let upstream = AuthServer::start().await;
    let server = service(introspector(&upstream.url())).await;
    upstream.answer(
        "tok-brief",
        Answer::Json(json!({
            "active": true, "sub": "brief", "iss": AS_ISSUER, "aud": "orders-api", "exp": now() + 2,
        })),
    );
    assert_eq!(server.get_with_token("/me", "tok-brief").await.status, 200);
    assert_eq!(server.get_with_token("/me", "tok-brief").await.status, 200);
    assert_eq!(upstream.calls("tok-brief"), 1);
    pause(Duration::from_millis(2100)).await;
    let response = server.get_with_token("/me", "tok-brief").await;
    assert_eq!(response.status, 401, "{:?}", response.body);
    assert_eq!(
        upstream.calls("tok-brief"),
        2,
        "the entry left the cache at exp"
    );
}

#[tokio::test]
async fn failures_are_not_cached_and_a_later_success_is() {
    let upstream = AuthServer::start().await;
    let server = service(introspector(&upstream.url())).await;
    upstream.answer("tok-flaky", Answer::Status(500));
    assert_unavailable(&server.get_with_token("/me", "tok-flaky").await);
    upstream.answer("tok-flaky", active("flaky"));
    assert_eq!(server.get_with_token("/me", "tok-flaky").await.status, 200);
    assert_eq!(server.get_with_token("/me", "tok-flaky").await.status, 200);
    assert_eq!(upstream.calls("tok-flaky"), 2);
}

#[tokio::test]
async fn invalidate_forgets_a_cached_answer() {
    let upstream = AuthServer::start().await;
    let introspector = introspector(&upstream.url());
    let server = service(introspector.clone()).await;
    upstream.answer("tok-logout", active("alice"));
    assert_eq!(server.get_with_token("/me", "tok-logout").await.status, 200);
    // Logged out here and at the authorization server.
    introspector.invalidate("tok-logout").await;
    upstream.answer("tok-logout", Answer::Json(json!({"active": false})));
    assert_eq!(server.get_with_token("/me", "tok-logout").await.status, 401);
    assert_eq!(upstream.calls("tok-logout"), 2);
}

#[tokio::test]
async fn an_endpoint_that_is_down_answers_503_until_it_is_back() {
    // A free port, closed: nothing listens there yet.
    let addr = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind")
        .local_addr()
        .expect("addr");
    let url = format!("http://{addr}/introspect");
    let server = service(introspector(&url)).await;
    assert_unavailable(&server.get_with_token("/me", "tok-later").await);

    let state = Arc::new(AsState::default());
    state
        .answers
        .lock()
        .unwrap()
        .insert("tok-later".into(), active("later"));
    serve_as(TcpListener::bind(addr).await.expect("rebind"), state);
    let response = server.get_with_token("/me", "tok-later").await;
    assert_eq!(response.status, 200, "{:?}", response.body);
    assert_eq!(response.body, "later orders:read orders:write");
}
