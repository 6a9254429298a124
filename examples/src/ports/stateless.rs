//! flask-stateless-auth's quick start: opaque bearer tokens that only the store can vouch
//! for, a token loader and a user loader, refresh and logout.
//!
//! | route | answers |
//! |---|---|
//! | `GET /secret` (access token) | 200 `{"secret": "Stateless auth is awesome :O"}` |
//! | `GET /whoami` (access token) | 200 `{"my_username": "<username>"}` |
//! | `POST /token/refresh` (refresh token) | 200 `{"access_token","refresh_token"}`, a new random pair; the old pair is refused afterwards |
//! | `POST /logout` (access token) | 204; the token is refused afterwards |
//! | a refresh token on an access route, an unknown or missing token | 401 |
//!
//! The seed's `token_loader` is the store ([`AuthManager::authenticate_opaque`] looks the
//! token's digest up); its `user_loader` is [`LoadUser`] for [`User`]. Its two users and
//! the four tokens of its quick start are loaded at start-up by [`load_fixture`], a
//! development fixture: real tokens are issued random, by
//! [`AuthManager::login_opaque`].

use std::time::Duration;

use auth_runtime::{
    AuthManager, CurrentToken, CurrentUser, LoadUser, SessionError, TokenPair, require_token,
};
use axum::{
    Extension, Json, Router,
    http::StatusCode,
    routing::{get, post},
};
use serde_json::{Value, json};

/// The seed's users: id and username.
pub const USERS: &[(&str, &str)] = &[("1", "first_user"), ("2", "second_user")];

/// The seed's quick-start tokens, per user id: (access token, refresh token). A
/// development fixture, loaded by [`load_fixture`].
pub const FIXTURE_TOKENS: &[(&str, &str, &str)] = &[
    ("1", "first_user_access_token", "first_user_refresh_token"),
    ("2", "second_user_access_token", "second_user_refresh_token"),
];

/// The manager from `AUTH_*` variables (`AUTH_ISSUER` defaults to `stateless`). Tokens
/// are opaque, so no key signs anything here: without `AUTH_SECRET` a random key is
/// made (the manager always has one). A spent refresh token is refused at once (no
/// grace window), as the seed replaces the token row on a refresh.
///
/// # Errors
///
/// A bad `AUTH_*` variable (named in the message), or no randomness for the key.
pub fn manager_from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<AuthManager, String> {
    use auth_runtime::config::env::{ISSUER, SECRET};
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| format!("no randomness for a key: {e}"))?;
    let random: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    crate::serve::builder_from_env(lookup, &[(ISSUER, "stateless"), (SECRET, &random)])
        .and_then(|builder| builder.refresh_grace(Duration::ZERO).build())
        .map_err(|e| e.to_string())
}

/// Loads the seed's four quick-start tokens into the store, as two logins. For
/// development only: anyone who read the seed's README knows them.
///
/// # Errors
///
/// The store cannot keep them (503).
pub async fn load_fixture(auth: &AuthManager) -> Result<(), SessionError> {
    for (id, access, refresh) in FIXTURE_TOKENS {
        auth.import_opaque_pair(auth.auth_token(*id), access, refresh)
            .await?;
    }
    Ok(())
}

/// A user of the seed's table.
#[derive(Debug, Clone)]
pub struct User {
    /// The username.
    pub username: String,
}

/// The seed's `user_loader`: the user the token's subject names. A token for a user who
/// is gone is 401 (the seed answers 500).
impl<S: Send + Sync> LoadUser<S> for User {
    type Rejection = StatusCode;

    async fn load(token: &CurrentToken, _: &S) -> Result<Self, StatusCode> {
        USERS
            .iter()
            .find(|(id, _)| *id == token.sub())
            .map(|(_, name)| User {
                username: (*name).to_owned(),
            })
            .ok_or(StatusCode::UNAUTHORIZED)
    }
}

#[require_token(credential = "opaque")]
async fn secret() -> Json<Value> {
    Json(json!({"secret": "Stateless auth is awesome :O"}))
}

#[require_token(credential = "opaque")]
async fn whoami(CurrentUser(user): CurrentUser<User>) -> Json<Value> {
    Json(json!({"my_username": user.username}))
}

#[require_token(credential = "opaque", kind = "refresh")]
async fn refresh(
    Extension(auth): Extension<AuthManager>,
    token: CurrentToken,
) -> Result<Json<Value>, SessionError> {
    let TokenPair {
        auth_token,
        refresh_token,
    } = auth.refresh(&token, auth.auth_token(token.sub())).await?;
    Ok(Json(
        json!({"access_token": auth_token, "refresh_token": refresh_token}),
    ))
}

#[require_token(credential = "opaque")]
async fn logout(
    Extension(auth): Extension<AuthManager>,
    token: CurrentToken,
) -> Result<StatusCode, SessionError> {
    auth.logout(&token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The quick start's routes, with `auth` installed.
pub fn app(auth: AuthManager) -> Router {
    Router::new()
        .route("/secret", get(secret))
        .route("/whoami", get(whoami))
        .route("/token/refresh", post(refresh))
        .route("/logout", post(logout))
        .layer(Extension(auth))
}
