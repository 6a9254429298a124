//! The smallest useful server: log in, a protected route, a path-bound route and an admin
//! route, with an ephemeral development key so it runs with no configuration.

use auth_runtime::{Algorithm, AuthManager, ConfigError, CurrentToken, Key, require_token};
use axum::{
    Extension, Json, Router,
    extract::Path,
    http::StatusCode,
    routing::{get, post},
};
use serde::Deserialize;
use serde_json::{Value, json};

/// A manager signing with a random HS256 key made at start-up: every token dies with the
/// process. For development only; deployments use `AuthManager::from_env()`.
pub fn development_manager() -> Result<AuthManager, ConfigError> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| ConfigError::Invalid {
        setting: "development key".into(),
        reason: e.to_string(),
    })?;
    AuthManager::builder()
        .issuer("quickstart")
        .signing_key(Key::hmac(Algorithm::HS256, secret)?)
        .build()
}

#[derive(Deserialize)]
struct Login {
    username: String,
    password: String,
}

/// `POST /login {"username","password"}`: alice/alice-password, or root/root-password (admin).
async fn login(
    Extension(auth): Extension<AuthManager>,
    Json(login): Json<Login>,
) -> Result<Json<Value>, StatusCode> {
    let scope = match (login.username.as_str(), login.password.as_str()) {
        ("alice", "alice-password") => json!({}),
        ("root", "root-password") => json!({"admin": true}),
        _ => return Err(StatusCode::UNAUTHORIZED),
    };
    let token = auth.auth_token(login.username).scope(scope).fresh().sign();
    token
        .map(|t| Json(json!({"auth_token": t})))
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)
}

/// Any valid auth token.
#[require_token]
async fn me(token: CurrentToken) -> String {
    format!("hello {}\n", token.sub())
}

/// Only the user named in the path, or an admin.
#[require_token(sub = "username", override(admin = true))]
async fn profile(Path(username): Path<String>) -> String {
    format!("profile of {username}\n")
}

/// Only tokens whose scope grants `admin`.
#[require_token(scope(admin = true))]
async fn admin() -> &'static str {
    "admin area\n"
}

/// The quickstart routes, with `manager` installed.
pub fn app(manager: AuthManager) -> Router {
    Router::new()
        .route("/login", post(login))
        .route("/me", get(me))
        .route("/users/{username}", get(profile))
        .route("/admin", get(admin))
        .layer(Extension(manager))
}
