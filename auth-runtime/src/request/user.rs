//! User loading: turn the verified token into the application's user, once per request
//! (flask-stateless-auth's `user_loader`, Flask-JWT-Extended's `user_lookup_loader`).
//!
//! Implement [`LoadUser`] for your user type, reading whatever your state holds (a
//! database pool, a cache), and take [`CurrentUser<U>`] in handlers:
//!
//! ```
//! use auth_runtime::{CurrentToken, CurrentUser, LoadUser, require_token};
//! use axum::http::StatusCode;
//!
//! #[derive(Clone)]
//! struct Db;
//!
//! struct User {
//!     name: String,
//!     active: bool,
//! }
//!
//! impl LoadUser<Db> for User {
//!     type Rejection = StatusCode;
//!
//!     async fn load(token: &CurrentToken, _db: &Db) -> Result<Self, StatusCode> {
//!         // Look the subject up; a user who is gone or disabled is refused, never `None`.
//!         match token.sub() {
//!             "alice" => Ok(User { name: "alice".into(), active: true }),
//!             _ => Err(StatusCode::UNAUTHORIZED),
//!         }
//!     }
//! }
//!
//! #[require_token]
//! async fn profile(CurrentUser(user): CurrentUser<User>) -> String {
//!     format!("{} ({})", user.name, if user.active { "active" } else { "inactive" })
//! }
//! # let _app: axum::Router<Db> = axum::Router::new().route("/me", axum::routing::get(profile));
//! ```
//!
//! The token is the one the route's guard verified (or, on a route without a guard, any
//! valid auth token, as [`CurrentToken`] itself). The loader decides what a missing user
//! answers; 401 is the safe choice (flask-stateless-auth answers 500).

use axum::{
    extract::FromRequestParts,
    http::request::Parts,
    response::{IntoResponse, Response},
};

use crate::token::CurrentToken;

/// Loads the application's user for a verified token.
pub trait LoadUser<S>: Sized {
    /// What the request answers when no user can be loaded.
    type Rejection: IntoResponse;

    /// The user the token belongs to.
    fn load(
        token: &CurrentToken,
        state: &S,
    ) -> impl Future<Output = Result<Self, Self::Rejection>> + Send;
}

/// The user of the request, loaded through [`LoadUser`] from the verified token.
#[derive(Debug, Clone)]
pub struct CurrentUser<U>(pub U);

impl<S, U> FromRequestParts<S> for CurrentUser<U>
where
    S: Send + Sync,
    U: LoadUser<S> + Send,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let token = CurrentToken::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        U::load(&token, state)
            .await
            .map(CurrentUser)
            .map_err(IntoResponse::into_response)
    }
}
