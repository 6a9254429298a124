//! One `tracing` event per guard decision, with the outcome, the reason code, the route
//! and the method; never the token; the subject only when asked for.

mod common;

use auth_runtime::{AuthManager, CurrentToken, require_token};
use axum::{Router, extract::Path, routing::get};
use common::*;

#[require_token(sub = "username")]
async fn profile(Path(username): Path<String>) -> String {
    username
}

#[require_token(optional)]
async fn home(token: Option<CurrentToken>) -> String {
    token.map_or("anonymous".to_owned(), |t| t.sub().to_owned())
}

fn app() -> Router {
    Router::new()
        .route("/users/{username}", get(profile))
        .route("/", get(home))
}

/// The decision lines of `text`.
fn decisions(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.contains("auth_runtime::decision"))
        .collect()
}

#[tokio::test]
async fn each_decision_is_one_event_with_its_outcome_reason_and_route() {
    let logs = CapturedLogs::start(tracing::Level::DEBUG);
    let m = manager();
    let s = TestServer::start(app(), m.clone()).await;
    let alice = auth_token(&m, "alice");

    assert_eq!(s.get_with_token("/users/alice", &alice).await.status, 200);
    assert_eq!(s.get_with_token("/users/bob", &alice).await.status, 403);
    assert_eq!(s.get("/users/alice", &[]).await.status, 401);
    assert_eq!(s.get_with_token("/users/alice", "x.y.z").await.status, 401);
    assert_eq!(s.get("/", &[]).await.body, "anonymous");

    let text = logs.text();
    let lines = decisions(&text);
    assert_eq!(lines.len(), 5, "{text}");
    let expect = [
        (
            "DEBUG",
            "outcome=\"accepted\"",
            "reason=\"ok\"",
            "route=\"/users/{username}\"",
        ),
        (
            "DEBUG",
            "outcome=\"refused\"",
            "reason=\"forbidden\"",
            "status=403",
        ),
        (
            "DEBUG",
            "outcome=\"refused\"",
            "reason=\"missing_token\"",
            "status=401",
        ),
        (
            "DEBUG",
            "outcome=\"refused\"",
            "reason=\"invalid_token\"",
            "status=401",
        ),
        (
            "DEBUG",
            "outcome=\"anonymous\"",
            "reason=\"no_token\"",
            "route=\"/\"",
        ),
    ];
    for (line, (level, outcome, reason, extra)) in lines.iter().zip(expect) {
        for part in [level, outcome, reason, extra, "method=\"GET\""] {
            assert!(line.contains(part), "{part} missing from: {line}");
        }
    }
    // Never the token, nor its signature, nor (by default) the subject.
    let signature = alice.rsplit('.').next().unwrap();
    assert!(
        !text.contains(&alice) && !text.contains(signature),
        "{text}"
    );
    assert!(!text.contains("user.id"), "{text}");
}

#[tokio::test]
async fn the_subject_is_named_only_when_the_application_asks() {
    let logs = CapturedLogs::start(tracing::Level::DEBUG);
    let m = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(signing_key(auth_runtime::Algorithm::HS256))
        .trace_subject(true)
        .build()
        .unwrap();
    let s = TestServer::start(app(), m.clone()).await;
    let alice = auth_token(&m, "alice");
    assert_eq!(s.get_with_token("/users/alice", &alice).await.status, 200);
    let text = logs.text();
    assert!(decisions(&text)[0].contains("user.id=\"alice\""), "{text}");
}

#[tokio::test]
async fn server_faults_are_errors_with_the_fix() {
    let logs = CapturedLogs::start(tracing::Level::ERROR);
    let s = TestServer::start_plain(app()).await;
    s.get("/", &[])
        .await
        .assert_refused(500, None, "server_error");
    let text = logs.text();
    let line = decisions(&text)[0];
    assert!(
        line.contains("ERROR") && line.contains("reason=\"server_error\""),
        "{line}"
    );
    assert!(
        line.contains("add `.layer(axum::Extension(manager))`"),
        "{line}"
    );
}
