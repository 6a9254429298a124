//! The routes the load benchmark puts side by side: the same short body behind no auth,
//! behind any valid token, and behind a path binding with a scope and an override.

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

/// `GET /open`, `GET /protected` and `GET /users/{username}`, with `manager` installed.
pub fn app(manager: AuthManager) -> Router {
    Router::new()
        .route("/open", get(open))
        .route("/protected", get(protected))
        .route("/users/{username}", get(user))
        .layer(Extension(manager))
}
