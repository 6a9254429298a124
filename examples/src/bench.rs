//! The routes the load benchmark puts side by side: the same short body behind no auth,
//! behind any valid token, behind a path binding with a scope and an override, behind an
//! opaque token and behind an API key.

use auth_runtime::{AuthManager, require_token};
use axum::{Extension, Router, extract::Path, routing::get};

async fn open() -> &'static str {
    "ok"
}

#[require_token]
async fn protected() -> &'static str {
    "ok"
}

#[require_token(sub = "username", scope(admin = true), override(admin = true))]
async fn user(Path(_username): Path<String>) -> &'static str {
    "ok"
}

#[require_token(credential = "opaque")]
async fn opaque() -> &'static str {
    "ok"
}

#[require_token(credential = "api_key")]
async fn api_key() -> &'static str {
    "ok"
}

/// `GET /open`, `GET /protected`, `GET /users/{username}`, `GET /opaque` (an opaque
/// token) and `GET /api-key` (an API key), with `manager` installed.
pub fn app(manager: AuthManager) -> Router {
    Router::new()
        .route("/open", get(open))
        .route("/protected", get(protected))
        .route("/users/{username}", get(user))
        .route("/opaque", get(opaque))
        .route("/api-key", get(api_key))
        .layer(Extension(manager))
}
