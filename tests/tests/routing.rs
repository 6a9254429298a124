//! `auth_runtime::routing`: what it records, the start-up check of path bindings, and
//! that a routed public and a routed guarded handler answer as declared.

mod common;

use auth_runtime::{
    CurrentToken, public, require_token,
    routing::{Router, get, post, requirement_of},
};
use axum::{extract::Path, http::Method};
use common::*;

#[require_token(sub = "username")]
async fn profile(Path(username): Path<String>, token: CurrentToken) -> String {
    format!("{username} {}", token.sub())
}

#[require_token(sub = "username", fresh)]
async fn rename(Path(username): Path<String>) -> String {
    username
}

#[public]
async fn health() -> &'static str {
    "ok"
}

#[test]
fn the_router_records_every_handler_with_its_path_and_requirement() {
    let app: Router = Router::new()
        .route("/users/{username}", get(profile).post(rename))
        .nest("/v1", Router::new().route("/health", get(health)));
    let table: Vec<_> = app
        .routes()
        .iter()
        .map(|r| {
            (
                r.method().cloned(),
                r.path().to_owned(),
                r.requirement().is_some(),
            )
        })
        .collect();
    assert_eq!(
        table,
        [
            (Some(Method::GET), "/users/{username}".to_owned(), true),
            (Some(Method::POST), "/users/{username}".to_owned(), true),
            (Some(Method::GET), "/v1/health".to_owned(), false),
        ]
    );
    assert!(app.routes()[0].handler().ends_with("::profile"));
    assert!(app.check().is_ok());
}

#[test]
fn requirement_of_reads_the_handler() {
    assert!(
        requirement_of::<_, _, ()>(&rename)
            .unwrap()
            .requires_fresh()
    );
    assert!(
        !requirement_of::<_, _, ()>(&profile)
            .unwrap()
            .requires_fresh()
    );
    assert!(requirement_of::<_, _, ()>(&health).is_none());
}

#[test]
fn a_binding_the_path_lacks_is_an_error_when_the_router_is_built() {
    let app: Router = Router::new().route("/users/{name}", get(profile));
    let error = app.check().expect_err("`username` is not in the path");
    assert_eq!((error.path(), error.param()), ("/users/{name}", "username"));
    assert!(
        error.handler().ends_with("::profile"),
        "{}",
        error.handler()
    );
    let message = error.to_string();
    assert!(
        message.contains("`/users/{name}`") && message.contains("`username`"),
        "{message}"
    );
}

#[test]
#[should_panic(expected = "::profile` binds claim `sub` to path parameter `username`")]
fn into_router_panics_naming_the_handler_parameter_and_path() {
    let _ = Router::<()>::new().route("/me", get(profile)).into_router();
}

#[test]
fn a_nesting_prefix_provides_parameters() {
    let inner = Router::new().route("/profile", get(profile));
    let app: Router = Router::new().nest("/users/{username}", inner);
    assert_eq!(app.routes()[0].path(), "/users/{username}/profile");
    assert!(app.check().is_ok());
    let wildcard: Router = Router::new().route("/files/{*username}", post(rename));
    assert!(wildcard.check().is_ok());
}

#[tokio::test]
async fn routed_handlers_answer_as_declared() {
    let manager = manager();
    let app = Router::new()
        .route("/users/{username}", get(profile))
        .route("/health", get(health))
        .into_router();
    let s = TestServer::start(app, manager.clone()).await;
    assert_eq!(s.get("/health", &[]).await.body, "ok");
    s.get("/users/alice", &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");
    let token = auth_token(&manager, "alice");
    assert_eq!(
        s.get_with_token("/users/alice", &token).await.body,
        "alice alice"
    );
    assert_eq!(s.get_with_token("/users/bob", &token).await.status, 403);
}
