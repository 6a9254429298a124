//! Flask-JWT-Login's README in a browser: a login form, a page behind a cookie, logout.
//!
//! | route | answers |
//! |---|---|
//! | `GET /login` | an HTML form with fields `id` and `pw` posting to `/login` |
//! | `POST /login` (form) | valid: sets the cookies, 303 to `/protected` (or a local `next`); invalid: the form again with an error, no cookie |
//! | `GET /protected` | with the cookie `Protected Page. name :<name>`; without, 303 to `/login?next=/protected` |
//! | `POST /logout` (form, cookie) | clears both cookies and revokes the login; cross-site: 403, nothing changes |
//!
//! When the auth cookie has expired but the refresh cookie is good, the redirect to
//! `/login` renews the session (rotating the refresh token) and sends the browser back.
//!
//! The auth token travels in the cookie `token` (the seed's name), the refresh token in
//! `refresh_token`; tokens are HS512. CSRF protection is the library's default.

use auth_runtime::config::env::{ALGORITHM, ISSUER};
use auth_runtime::{
    AuthManager, ConfigError, CurrentToken, RedirectToLogin, TokenKind, require_token,
};
use axum::{
    Extension, Form, Router,
    extract::Query,
    http::{HeaderMap, StatusCode, header::SET_COOKIE},
    response::{Html, IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;

use crate::{
    pages::{LoginFields, login_form, redirect},
    serve::builder_from_env,
};

/// The user table: id, password and display name (Flask-JWT-Login's
/// `authentication_handler` looks users up here).
fn authenticate(id: &str, pw: &str) -> Option<&'static str> {
    match (id, pw) {
        ("alice", "alice-password") => Some("Alice"),
        ("root", "root-password") => Some("Root"),
        _ => None,
    }
}

fn display_name(id: &str) -> Option<&'static str> {
    match id {
        "alice" => Some("Alice"),
        "root" => Some("Root"),
        _ => None,
    }
}

/// The manager from `AUTH_*` variables, with `AUTH_ISSUER` defaulting to `login`,
/// `AUTH_ALGORITHM` to HS512 and the auth cookie named `token`.
pub fn manager_from_env(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<AuthManager, ConfigError> {
    builder_from_env(lookup, &[(ISSUER, "login"), (ALGORITHM, "HS512")])?
        .cookie_name("token")
        .build()
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

#[derive(Deserialize)]
struct LoginForm {
    id: String,
    pw: String,
    next: Option<String>,
}

const FIELDS: LoginFields = LoginFields {
    user: "id",
    password: "pw",
};

fn form(next: Option<&str>, error: Option<&str>) -> Html<String> {
    login_form(FIELDS, next, error)
}

/// The login page; a browser whose auth cookie has expired but whose refresh cookie is
/// still good is renewed here, without a form, and sent on to `next`.
async fn login_page(
    Extension(auth): Extension<AuthManager>,
    headers: HeaderMap,
    Query(query): Query<Next>,
) -> Response {
    let next = query.next.as_deref();
    let Some(raw) = auth.cookie_token(&headers, TokenKind::Refresh) else {
        return form(next, None).into_response();
    };
    let renewed = match auth.authenticate(raw).await {
        Ok(token) if token.kind() == TokenKind::Refresh => auth
            .refresh(&token, auth.auth_token(token.sub()))
            .await
            .ok(),
        _ => None,
    };
    let mut response = match renewed {
        Some(pair) => redirect(&auth.session_cookies(&pair), next, "/protected"),
        // Spent, revoked or expired: forget it, and ask for the password.
        None => form(next, None).into_response(),
    };
    if response.status() != StatusCode::SEE_OTHER {
        for cookie in auth.clear_token_cookies() {
            response.headers_mut().append(SET_COOKIE, cookie);
        }
    }
    response
}

async fn login(Extension(auth): Extension<AuthManager>, Form(input): Form<LoginForm>) -> Response {
    if authenticate(&input.id, &input.pw).is_none() {
        return form(input.next.as_deref(), Some("Invalid id or password.")).into_response();
    }
    let pair = match auth.login(auth.auth_token(&input.id)).await {
        Ok(pair) => pair,
        Err(error) => return error.into_response(),
    };
    redirect(
        &auth.session_cookies(&pair),
        input.next.as_deref(),
        "/protected",
    )
}

#[require_token(location = "cookie")]
async fn protected(token: CurrentToken) -> Response {
    match display_name(token.sub()) {
        Some(name) => format!("Protected Page. name :{name}").into_response(),
        None => StatusCode::FORBIDDEN.into_response(),
    }
}

#[require_token(location = "cookie")]
async fn logout(Extension(auth): Extension<AuthManager>, token: CurrentToken) -> Response {
    if let Err(error) = auth.logout(&token).await {
        return error.into_response();
    }
    redirect(&auth.clear_token_cookies(), None, "/login")
}

/// The login routes, with `manager` installed.
pub fn app(manager: AuthManager) -> Router {
    let pages = Router::new()
        .route("/protected", get(protected))
        .route_layer(RedirectToLogin::new("/login"));
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .merge(pages)
        .layer(Extension(manager))
}
