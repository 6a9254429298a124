//! Declared handlers of every shape route through `auth_runtime::routing`: guarded and
//! public, with state, path and body extractors, optional, many arguments, chained methods.

use auth_runtime::{
    CurrentToken, Public, public, require_token,
    routing::{Router, any, delete, get, post},
};
use axum::{
    Json,
    extract::{Path, Query, State},
    http::HeaderMap,
};
use std::collections::HashMap;

#[derive(Clone)]
struct AppState;

#[require_token(sub = "id")]
async fn read(Path(id): Path<String>, State(_): State<AppState>) -> String {
    id
}

#[require_token(scope(admin = true))]
async fn write(
    token: CurrentToken,
    _headers: HeaderMap,
    _query: Query<HashMap<String, String>>,
    Json(body): Json<serde_json::Value>,
) -> String {
    format!("{} {body}", token.sub())
}

#[require_token(optional)]
async fn maybe(token: Option<CurrentToken>) -> String {
    token.map_or_else(String::new, |t| t.sub().to_owned())
}

#[public]
async fn health(State(_): State<AppState>) -> &'static str {
    "ok"
}

async fn by_hand(_: Public) {}

#[allow(clippy::too_many_arguments)]
#[public]
async fn many(
    _: HeaderMap, _: HeaderMap, _: HeaderMap, _: HeaderMap, _: HeaderMap,
    _: HeaderMap, _: HeaderMap, _: HeaderMap, _: HeaderMap, _: HeaderMap,
    _: HeaderMap, _: HeaderMap, _: HeaderMap, _: HeaderMap, _: String,
) {}

fn main() {
    let _app: axum::Router = Router::new()
        .route("/items/{id}", get(read).post(write).merge(delete(maybe)))
        .route("/health", get(health))
        .route("/hand", any(by_hand))
        .route("/many", post(many))
        .with_state(AppState)
        .into_router();
}
