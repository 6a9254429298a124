//! Flask_PyJWT's README example, ported route for route: the same paths, users, statuses
//! and JSON bodies, so a client written against the Python app works against this one.

use auth_runtime::config::env::ISSUER;
use auth_runtime::{AuthManager, ConfigError, CurrentToken, require_token};
use axum::{
    Extension, Json, Router,
    extract::Path,
    http::StatusCode,
    routing::{get, post},
};
use serde::Deserialize;

use crate::{serve::builder_from_env, users::scope_of};
use serde_json::{Value, json};

/// The manager from `AUTH_*` variables, with `AUTH_ISSUER` defaulting to `parity` and
/// `AUTH_ALGORITHM` to HS256 (which needs `AUTH_SECRET`).
pub fn manager_from_env(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<AuthManager, ConfigError> {
    builder_from_env(lookup, &[(ISSUER, "parity")])?.build()
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

type Reply = (StatusCode, Json<Value>);

fn reply(status: StatusCode, body: Value) -> Reply {
    (status, Json(body))
}

fn message(text: impl Into<String>) -> Reply {
    reply(StatusCode::OK, json!({"message": text.into()}))
}

async fn login(Extension(auth): Extension<AuthManager>, Json(creds): Json<Credentials>) -> Reply {
    let Some(scope) = scope_of(&creds.username, Some(&creds.password)) else {
        return reply(
            StatusCode::UNAUTHORIZED,
            json!({"error": "Invalid login credentials"}),
        );
    };
    let auth_token = auth.auth_token(&creds.username).scope(scope).fresh().sign();
    let refresh_token = auth.refresh_token(&creds.username).sign();
    match (auth_token, refresh_token) {
        (Ok(a), Ok(r)) => reply(StatusCode::OK, json!({"auth_token": a, "refresh_token": r})),
        _ => reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"error": "cannot issue tokens"}),
        ),
    }
}

#[require_token(kind = "refresh")]
async fn refresh(Extension(auth): Extension<AuthManager>, token: CurrentToken) -> Reply {
    let Some(scope) = scope_of(token.sub(), None) else {
        return reply(StatusCode::UNAUTHORIZED, json!({"error": "Unknown user"}));
    };
    match auth.auth_token(token.sub()).scope(scope).sign() {
        Ok(t) => reply(StatusCode::OK, json!({"auth_token": t})),
        Err(_) => reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"error": "cannot issue tokens"}),
        ),
    }
}

#[require_token]
async fn protected_route() -> Reply {
    message("You've reached the protected route!")
}

#[require_token(sub = "username")]
async fn user_specific_route(Path(username): Path<String>) -> Reply {
    message(format!("Hello, {username}!"))
}

#[require_token(claims(custom_claim = "Arbitrary Required Value"))]
async fn custom_claim_route() -> Reply {
    message("You've reached the custom claim route!")
}

#[require_token(scope(admin = true))]
async fn admin_dashboard() -> Reply {
    message("Hello admin!")
}

#[require_token]
async fn token_info(token: CurrentToken) -> Reply {
    reply(
        StatusCode::OK,
        json!({
            "token_type": token.kind().as_str(),
            "subject": token.sub(),
            "scope": token.scope(),
            "claims": token.claims(),
            "is_signed": true,
            "signed_token": token.signed_token(),
        }),
    )
}

#[require_token(sub = "username", override(admin = true))]
async fn overridable_route(Path(username): Path<String>) -> Reply {
    message(format!("Hello, {username}!"))
}

/// The parity routes, with `manager` installed.
pub fn app(manager: AuthManager) -> Router {
    Router::new()
        .route("/login", post(login))
        .route("/refresh", post(refresh))
        .route("/protected_route", get(protected_route))
        .route("/user_specific_route/{username}", get(user_specific_route))
        .route("/custom_claim_route", get(custom_claim_route))
        .route("/admin_dashboard", get(admin_dashboard))
        .route("/token/info", get(token_info))
        .route("/overridable_route/{username}", get(overridable_route))
        .layer(Extension(manager))
}
