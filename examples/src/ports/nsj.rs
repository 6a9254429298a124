//! nsj-flask-auth's quick start, plus the API keys and the remote token validation of the
//! real library: a JWT in a configurable header, API keys in `X-API-Key`, opaque tokens
//! checked by an RFC 7662 introspection endpoint, and a route that takes an API key or a
//! JWT.
//!
//! | route | answers |
//! |---|---|
//! | `GET /` | 200 `Welcome! This route is public.` |
//! | `GET /protected` (`Bearer <jwt>` in the configured header) | 200 `{"message": "This is a protected route!", "user": {"sub", ...claims}}` |
//! | `GET /api/report` (`X-API-Key`) | 200 `{"key_id"}`; a bad, revoked or missing key 401 |
//! | `GET /introspected` (an opaque bearer token, RFC 7662) | 200 `{"sub"}` when active; inactive 401; the endpoint down 503 |
//! | `GET /either` (an API key or a JWT) | 200 `{"via": "api_key" \| "jwt"}`; both at once 400 `invalid_request` |
//!
//! Environment: `NSJ_AUTH_TOKEN_HEADER` (default `Authorization`), `NSJ_AUTH_JWT_SECRET`
//! (required), `NSJ_AUTH_ALGORITHMS` (comma-separated HMAC algorithms, default `HS256`:
//! one secret, several algorithms, no `kid`), `AUTH_ISSUER` (default `nsj`),
//! `AUTH_INTROSPECTION_URL`, `AUTH_INTROSPECTION_CLIENT_ID`,
//! `AUTH_INTROSPECTION_CLIENT_SECRET`; the other `AUTH_*` variables as for every example.

use std::time::Duration;

use auth_runtime::{
    Algorithm, AuthManager, AuthManagerBuilder, CurrentToken, Key,
    credential::introspection::Introspector, public, require_token,
};
use axum::{Extension, Json, Router, routing::get};
use serde_json::{Value, json};

/// The header that carries JWTs (default `Authorization`).
pub const TOKEN_HEADER: &str = "NSJ_AUTH_TOKEN_HEADER";
/// The HMAC secret JWTs are signed with.
pub const JWT_SECRET: &str = "NSJ_AUTH_JWT_SECRET";
/// The algorithms accepted for that secret, comma-separated (default `HS256`).
pub const ALGORITHMS: &str = "NSJ_AUTH_ALGORITHMS";
/// The RFC 7662 introspection endpoint; without it, `/introspected` knows no token.
pub const INTROSPECTION_URL: &str = "AUTH_INTROSPECTION_URL";
/// This service's client id at the introspection endpoint.
pub const INTROSPECTION_CLIENT_ID: &str = "AUTH_INTROSPECTION_CLIENT_ID";
/// This service's client secret at the introspection endpoint.
pub const INTROSPECTION_CLIENT_SECRET: &str = "AUTH_INTROSPECTION_CLIENT_SECRET";

/// How long the development API key lives.
pub const DEV_KEY_LIFETIME: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// The manager from the variables above: the first algorithm of `NSJ_AUTH_ALGORITHMS`
/// signs, every one of them verifies (a token is tried only against the key of its
/// header's `alg`).
///
/// # Errors
///
/// A missing or bad variable, named in the message.
pub fn manager_from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<AuthManager, String> {
    let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
    let secret = var(JWT_SECRET).ok_or_else(|| format!("missing setting `{JWT_SECRET}`"))?;
    let algorithms = algorithms(var(ALGORITHMS).as_deref().unwrap_or("HS256"))?;
    let key = |alg: Algorithm| {
        Key::hmac(alg, secret.as_bytes()).map_err(|e| format!("`{JWT_SECRET}`: {e}"))
    };
    let mut builder = AuthManagerBuilder::from_env_with(|name| {
        use auth_runtime::config::env::{ALGORITHM, ISSUER, SECRET};
        match name {
            SECRET => Some(secret.clone()),
            ALGORITHM => Some(format!("{:?}", algorithms[0])),
            ISSUER => var(ISSUER).or_else(|| Some("nsj".to_owned())),
            other => var(other),
        }
    })
    .map_err(|e| e.to_string())?;
    for alg in &algorithms[1..] {
        builder = builder.verification_key(key(*alg)?);
    }
    if let Some(header) = var(TOKEN_HEADER) {
        builder = builder.header_name(header);
    }
    if let Some(url) = var(INTROSPECTION_URL) {
        let mut introspector = Introspector::builder(url);
        if let (Some(id), Some(secret)) = (
            var(INTROSPECTION_CLIENT_ID),
            var(INTROSPECTION_CLIENT_SECRET),
        ) {
            introspector = introspector.client_credentials(id, secret);
        }
        builder = builder.token_loader(introspector.build().map_err(|e| e.to_string())?);
    }
    builder.build().map_err(|e| e.to_string())
}

/// `HS256,HS512` → the algorithms, each an HMAC one, none twice.
fn algorithms(list: &str) -> Result<Vec<Algorithm>, String> {
    let mut out = Vec::new();
    for name in list.split(',').map(str::trim) {
        let alg: Algorithm = name
            .parse()
            .map_err(|_| format!("`{ALGORITHMS}`: unknown algorithm `{name}`"))?;
        if !matches!(alg, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512) {
            return Err(format!(
                "`{ALGORITHMS}`: `{name}` is not an HMAC algorithm; tokens here are signed with `{JWT_SECRET}`"
            ));
        }
        if out.contains(&alg) {
            return Err(format!("`{ALGORITHMS}`: `{name}` is listed twice"));
        }
        out.push(alg);
    }
    Ok(out)
}

#[public]
async fn index() -> &'static str {
    "Welcome! This route is public."
}

#[require_token]
async fn protected(token: CurrentToken) -> Json<Value> {
    Json(json!({"message": "This is a protected route!", "user": token.claims()}))
}

#[require_token(credential = "api_key")]
async fn report(token: CurrentToken) -> Json<Value> {
    Json(json!({"key_id": token.kid()}))
}

#[require_token(credential = "opaque")]
async fn introspected(token: CurrentToken) -> Json<Value> {
    Json(json!({"sub": token.sub()}))
}

#[require_token(credential = ["api_key", "jwt"])]
async fn either(token: CurrentToken) -> Json<Value> {
    Json(json!({"via": token.credential().as_str()}))
}

/// The routes, with `auth` installed.
pub fn app(auth: AuthManager) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/protected", get(protected))
        .route("/api/report", get(report))
        .route("/introspected", get(introspected))
        .route("/either", get(either))
        .layer(Extension(auth))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithms_are_hmac_ones_listed_once() {
        assert_eq!(
            algorithms("HS256, HS512").unwrap(),
            [Algorithm::HS256, Algorithm::HS512]
        );
        assert!(algorithms("RS256").unwrap_err().contains("not an HMAC"));
        assert!(algorithms("HS256,HS256").unwrap_err().contains("twice"));
        assert!(algorithms("HS999").unwrap_err().contains("unknown"));
    }
}
