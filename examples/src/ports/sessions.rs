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
//!
//! And the same service in a browser, with the session in cookies (CSRF protection on):
//!
//! | route | answers |
//! |---|---|
//! | `GET /login` | a form with fields `username` and `password` posting to `/login` |
//! | `POST /login` (form) | valid: the two cookies, 303 to `/` (or a local `next`); invalid: the form again |
//! | `GET /` | with the cookie, a page naming the user with a logout button; without, 303 to `/login?next=/` |
//! | `POST /logout` (form, cookie) | revokes the login, clears both cookies, 303 to `/login`; cross-site: 403 |

use auth_runtime::config::env::ISSUER;
use auth_runtime::{
    AuthManager, ConfigError, CurrentToken, RedirectToLogin, SessionError, TokenPair, require_token,
};
use axum::{
    Extension, Json, Router,
    body::Bytes,
    extract::Query,
    http::{
        HeaderMap, HeaderValue, StatusCode,
        header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE},
    },
    response::{Html, IntoResponse, Response},
    routing::{get, post},
};

use crate::{
    pages::{LoginFields, escape, login_form, redirect},
    serve::builder_from_env,
    users::scope_of,
};
use serde::Deserialize;
use serde_json::{Value, json};

/// The manager from `AUTH_*` variables (`AUTH_ISSUER` defaults to `sessions`; with
/// `AUTH_REDIS_URL`, revocations and refresh families live in that Redis).
pub fn manager_from_env(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<AuthManager, ConfigError> {
    builder_from_env(lookup, &[(ISSUER, "sessions")])?.build()
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

const FIELDS: LoginFields = LoginFields {
    user: "username",
    password: "password",
};

#[derive(Deserialize)]
struct FormLogin {
    username: String,
    password: String,
    next: Option<String>,
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

async fn login_page(Query(query): Query<Next>) -> Html<String> {
    login_form(FIELDS, query.next.as_deref(), None)
}

/// `POST /login`: JSON answers tokens, a form (a browser) gets cookies and a redirect.
async fn login(
    Extension(auth): Extension<AuthManager>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let is_form = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return match serde_json::from_slice::<Credentials>(&body) {
            Ok(creds) => json_login(auth, creds).await,
            Err(_) => (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": "invalid_request", "message": "expected {\"username\",\"password\"}"})),
            )
                .into_response(),
        };
    }
    let Ok(input) = serde_urlencoded::from_bytes::<FormLogin>(&body) else {
        return login_form(FIELDS, None, Some("Fill in both fields.")).into_response();
    };
    let Some(scope) = scope_of(&input.username, Some(&input.password)) else {
        return login_form(
            FIELDS,
            input.next.as_deref(),
            Some("Unknown user or wrong password."),
        )
        .into_response();
    };
    match auth
        .login(auth.auth_token(&input.username).scope(scope))
        .await
    {
        Ok(pair) => redirect(&auth.session_cookies(&pair), input.next.as_deref(), "/"),
        Err(error) => error.into_response(),
    }
}

async fn json_login(auth: AuthManager, creds: Credentials) -> Response {
    let Some(scope) = scope_of(&creds.username, Some(&creds.password)) else {
        let body =
            json!({"error": "invalid_credentials", "message": "unknown user or wrong password"});
        let mut response = (StatusCode::UNAUTHORIZED, Json(body)).into_response();
        response.headers_mut().insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"sessions\""),
        );
        return response;
    };
    match auth
        .login(auth.auth_token(&creds.username).scope(scope))
        .await
    {
        Ok(pair) => Json(pair).into_response(),
        Err(error) => error.into_response(),
    }
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

/// `POST /logout`: with a bearer token 204; from the page (the cookie) the cookies are
/// cleared and the browser goes back to the login page.
#[require_token(location = ["header", "cookie"])]
async fn logout(
    Extension(auth): Extension<AuthManager>,
    headers: HeaderMap,
    token: CurrentToken,
) -> Result<Response, SessionError> {
    auth.logout(&token).await?;
    if headers.contains_key(AUTHORIZATION) {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok(redirect(&auth.clear_token_cookies(), None, "/login"))
}

/// The home page of a logged-in browser.
#[require_token(location = "cookie")]
async fn home(token: CurrentToken) -> Html<String> {
    Html(format!(
        "<!doctype html><html><head><title>Home</title></head><body>\
         <p>Logged in as {}.</p>\
         <form method=\"post\" action=\"/logout\"><button type=\"submit\">Log out</button></form>\
         </body></html>",
        escape(token.sub())
    ))
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
    let pages = Router::new()
        .route("/", get(home))
        .route_layer(RedirectToLogin::new("/login"));
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/refresh", post(refresh))
        .route("/logout", post(logout))
        .route("/me", get(me))
        .route("/admin", get(admin))
        .merge(pages)
        .layer(Extension(manager))
}
