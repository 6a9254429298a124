//! `#[require_token]` above `#[axum::debug_handler]`: the order that works (the other
//! order makes `debug_handler` check the handler before the guard is added).
use auth_runtime::{CurrentToken, require_token};
use axum::{Json, Router, extract::Path, routing::post};
use serde_json::Value;

#[require_token(sub = "username")]
#[axum::debug_handler]
async fn update(Path(username): Path<String>, token: CurrentToken, Json(body): Json<Value>) -> String {
    format!("{username}/{}: {body}", token.sub())
}

fn main() {
    let _app: Router = Router::new().route("/users/{username}", post(update));
}
