use auth_runtime::{require_token, CurrentToken};
use axum::Json;
use serde_json::Value;

#[require_token]
async fn update(Json(body): Json<Value>, token: CurrentToken) -> String {
    format!("{} sent {body}", token.sub())
}

fn main() {
    let _ = update;
}
