//! What a server logs, with a `tracing` subscriber installed: server faults at `error`
//! with the fix, and the quickstart's one line per request.

mod common;

use auth_examples::{quickstart, serve::log_requests};
use auth_runtime::{CurrentToken, require_token};
use axum::{Router, extract::Path, routing::get};
use common::*;

#[require_token]
async fn protected(token: CurrentToken) -> String {
    token.sub().to_owned()
}

#[require_token(sub = "username")]
async fn bound(token: CurrentToken) -> String {
    token.sub().to_owned()
}

#[tokio::test]
async fn a_router_without_the_manager_logs_how_to_install_it() {
    let logs = CapturedLogs::start(tracing::Level::ERROR);
    let server = TestServer::start_plain(Router::new().route("/p", get(protected))).await;
    let res = server
        .get_with_token("/p", &auth_token(&manager(), "alice"))
        .await;
    res.assert_refused(500, None, "server_error");
    let text = logs.text();
    assert!(text.contains("ERROR"), "{text}");
    assert!(text.contains("no AuthManager on this router"), "{text}");
    assert!(text.contains(".layer(axum::Extension(manager))"), "{text}");
}

#[tokio::test]
async fn a_bound_parameter_missing_from_the_route_is_logged_as_a_server_fault() {
    let logs = CapturedLogs::start(tracing::Level::ERROR);
    let server = TestServer::start(
        Router::new()
            .route("/{name}", get(|Path(_): Path<String>| async {}))
            .route("/me", get(bound)),
        manager(),
    )
    .await;
    let res = server
        .get_with_token("/me", &auth_token(&manager(), "alice"))
        .await;
    res.assert_refused(500, None, "server_error");
    let text = logs.text();
    assert!(text.contains("path parameter `username`"), "{text}");
}

#[tokio::test]
async fn the_quickstart_logs_one_line_per_request() {
    let logs = CapturedLogs::start(tracing::Level::INFO);
    let manager = quickstart::development_manager().unwrap();
    let server = TestServer::start_plain(log_requests(quickstart::app(manager.clone()))).await;
    server.get("/me", &[]).await;
    let token = auth_token(&manager, "alice");
    server.get_with_token("/me", &token).await;
    let text = logs.text();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("GET /me")).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].contains("GET /me 401"), "{text}");
    assert!(lines[1].contains("GET /me 200"), "{text}");
    assert!(!text.contains(&token), "tokens are never logged");
}
