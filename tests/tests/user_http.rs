//! `CurrentUser<U>` over HTTP: the user is loaded from the verified token and the state.

mod common;

use std::{collections::HashMap, sync::Arc};

use auth_runtime::{CurrentToken, CurrentUser, LoadUser, require_token};
use axum::{Json, Router, http::StatusCode, routing::get};
use common::*;
use serde_json::{Value, json};

#[derive(Clone)]
struct Users(Arc<HashMap<&'static str, (&'static str, bool)>>);

struct User {
    display_name: &'static str,
}

impl LoadUser<Users> for User {
    type Rejection = (StatusCode, Json<Value>);

    async fn load(token: &CurrentToken, users: &Users) -> Result<Self, Self::Rejection> {
        match users.0.get(token.sub()) {
            Some((display_name, true)) => Ok(User { display_name }),
            Some((_, false)) => Err((
                StatusCode::UNAUTHORIZED,
                Json(json!({"error": "inactive_user"})),
            )),
            None => Err((
                StatusCode::UNAUTHORIZED,
                Json(json!({"error": "unknown_user"})),
            )),
        }
    }
}

#[require_token]
async fn me(CurrentUser(user): CurrentUser<User>) -> &'static str {
    user.display_name
}

async fn unguarded(CurrentUser(user): CurrentUser<User>) -> &'static str {
    user.display_name
}

fn app() -> Router {
    let users = Users(Arc::new(HashMap::from([
        ("alice", ("Alice A.", true)),
        ("mallory", ("Mallory", false)),
    ])));
    Router::new()
        .route("/me", get(me))
        .route("/unguarded", get(unguarded))
        .with_state(users)
}

#[tokio::test]
async fn the_user_is_loaded_from_the_verified_token() {
    let manager = manager();
    let s = TestServer::start(app(), manager.clone()).await;
    let res = s
        .get_with_token("/me", &auth_token(&manager, "alice"))
        .await;
    assert_eq!((res.status, res.body.as_str()), (200, "Alice A."));
    let res = s
        .get_with_token("/unguarded", &auth_token(&manager, "alice"))
        .await;
    assert_eq!(
        res.body, "Alice A.",
        "works without a guard, verifying the token itself"
    );
}

#[tokio::test]
async fn the_loader_decides_what_a_missing_or_inactive_user_answers() {
    let manager = manager();
    let s = TestServer::start(app(), manager.clone()).await;
    let res = s
        .get_with_token("/me", &auth_token(&manager, "mallory"))
        .await;
    assert_eq!(
        (res.status, res.json()),
        (401, json!({"error": "inactive_user"}))
    );
    let res = s
        .get_with_token("/me", &auth_token(&manager, "nobody"))
        .await;
    assert_eq!(
        (res.status, res.json()),
        (401, json!({"error": "unknown_user"}))
    );
}

#[tokio::test]
async fn no_token_is_refused_before_any_lookup() {
    let s = TestServer::start(app(), manager()).await;
    s.get("/me", &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");
    s.get("/unguarded", &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");
    s.get_with_token("/unguarded", "x.y.z")
        .await
        .assert_invalid_token();
}
