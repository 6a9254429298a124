//! A verify-only service trusting an identity provider: it issues no token, it checks
//! the provider's tokens against the keys the provider publishes (a JWKS URL, or the
//! `jwks_uri` of an OpenID Connect issuer's discovery document).
//!
//! | route | answers |
//! |---|---|
//! | `GET /health` | 200 `{"keys_loaded": true|false}` |
//! | `GET /me` (provider token) | 200 `{"sub"}`; unknown `kid` after a refresh 401; no keys yet and the provider down 503 |
//! | `GET /admin` (`scope("admin")`, space-delimited `scope` claim) | 200 `{"message"}` / 403 `insufficient_scope` |
//!
//! Provider tokens carry no `type` claim; their `typ` may be `JWT` or `at+jwt`.

use auth_runtime::{
    AuthManager, AuthManagerBuilder, ConfigError, CurrentToken,
    config::env::{JWKS_URL, OIDC_ISSUER},
    require_token,
};
use axum::{Extension, Json, Router, routing::get};
use serde_json::{Value, json};

/// The manager from `AUTH_JWKS_URL` (with `AUTH_ISSUER`, the `iss` to accept) or
/// `AUTH_OIDC_ISSUER`, and `AUTH_AUDIENCE` (optional), `AUTH_LEEWAY`. Fetches nothing.
pub fn manager_from_env(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<AuthManager, ConfigError> {
    let set = |name: &str| lookup(name).is_some_and(|v| !v.is_empty());
    if !set(JWKS_URL) && !set(OIDC_ISSUER) {
        return Err(ConfigError::Missing {
            setting: format!("{JWKS_URL} or {OIDC_ISSUER}"),
        });
    }
    AuthManagerBuilder::from_env_with(lookup)?.build()
}

/// The routes, with `manager` installed.
pub fn app(manager: AuthManager) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/me", get(me))
        .route("/admin", get(admin))
        .layer(Extension(manager))
}

async fn health(Extension(manager): Extension<AuthManager>) -> Json<Value> {
    Json(json!({ "keys_loaded": manager.keys_loaded() }))
}

#[require_token]
async fn me(token: CurrentToken) -> Json<Value> {
    Json(json!({ "sub": token.sub() }))
}

#[require_token(scope("admin"))]
async fn admin(token: CurrentToken) -> Json<Value> {
    Json(json!({ "message": format!("Hello, admin {}", token.sub()) }))
}
