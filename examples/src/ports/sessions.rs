//! The real application (the JSON part): login, refresh with rotation and reuse detection,
//! logout that every instance sees, on the in-memory store or, with `AUTH_REDIS_URL`, on
//! Redis shared by every instance.
//!
//! | route | answers |
//! |---|---|
//! | `POST /login` `{"username","password"}` | 200 `{"auth_token","refresh_token"}`; 401 bad credentials |
//! | `POST /refresh` (refresh token) | 200 a new pair; a spent token after the grace window 401, its family revoked |
//! | `POST /logout` (auth token) | 204; that login's tokens are refused everywhere afterwards |
//! | `GET /me` | 200 `{"sub","scope"}` |
//! | `GET /admin` (`scope(admin = true)`) | 200 `{"message"}` |
//! | any guarded route, store unreachable | 503 `temporarily_unavailable`, `Retry-After` |

use auth_runtime::{
    AuthManager, AuthManagerBuilder, ConfigError, CurrentToken, SessionError, TokenPair,
    require_token,
};
use axum::{
    Extension, Json, Router,
    http::{HeaderValue, StatusCode, header::WWW_AUTHENTICATE},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;
use serde_json::{Value, json};

/// The users of the example and their scope.
fn scope_of(username: &str, password: Option<&str>) -> Option<Value> {
    match (username, password) {
        ("alice", Some("alice-password") | None) => Some(json!({})),
        ("root", Some("root-password") | None) => Some(json!({"admin": true})),
        _ => None,
    }
}

/// The manager from `AUTH_*` variables (`AUTH_ISSUER` defaults to `sessions`; with
/// `AUTH_REDIS_URL`, revocations and refresh families live in that Redis).
pub fn manager_from_env(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<AuthManager, ConfigError> {
    AuthManagerBuilder::from_env_with(|name| match lookup(name) {
        None if name == auth_runtime::config::env::ISSUER => Some("sessions".to_owned()),
        value => value,
    })?
    .build()
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

async fn login(
    Extension(auth): Extension<AuthManager>,
    Json(creds): Json<Credentials>,
) -> Result<Json<TokenPair>, Response> {
    let Some(scope) = scope_of(&creds.username, Some(&creds.password)) else {
        let body =
            json!({"error": "invalid_credentials", "message": "unknown user or wrong password"});
        let mut response = (StatusCode::UNAUTHORIZED, Json(body)).into_response();
        response.headers_mut().insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"sessions\""),
        );
        return Err(response);
    };
    let pair = auth
        .login(auth.auth_token(&creds.username).scope(scope))
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(Json(pair))
}

#[require_token(kind = "refresh")]
async fn refresh(
    Extension(auth): Extension<AuthManager>,
    token: CurrentToken,
) -> Result<Json<TokenPair>, SessionError> {
    // The scope is decided now, from the user table, not copied from the old token.
    let scope = scope_of(token.sub(), None).unwrap_or_else(|| json!({}));
    let pair = auth
        .refresh(&token, auth.auth_token(token.sub()).scope(scope))
        .await?;
    Ok(Json(pair))
}

#[require_token]
async fn logout(
    Extension(auth): Extension<AuthManager>,
    token: CurrentToken,
) -> Result<StatusCode, SessionError> {
    auth.logout(&token).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[require_token]
async fn me(token: CurrentToken) -> Json<Value> {
    Json(json!({"sub": token.sub(), "scope": token.scope().cloned().unwrap_or_else(|| json!({}))}))
}

#[require_token(scope(admin = true))]
async fn admin() -> Json<Value> {
    Json(json!({"message": "Hello admin!"}))
}

/// The sessions routes, with `manager` installed.
pub fn app(manager: AuthManager) -> Router {
    Router::new()
        .route("/login", post(login))
        .route("/refresh", post(refresh))
        .route("/logout", post(logout))
        .route("/me", get(me))
        .route("/admin", get(admin))
        .layer(Extension(manager))
}
