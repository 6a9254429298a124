//! Serving this service's public keys at `/.well-known/jwks.json`, for the services that
//! verify its tokens.

use axum::{
    Router,
    http::{
        HeaderMap, HeaderValue, StatusCode,
        header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH},
    },
    response::{IntoResponse, Response},
    routing::get,
};

use crate::manager::AuthManager;

/// Where [`routes`] serves the key set.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";

/// How long clients may cache the key set, in seconds (`Cache-Control: max-age`). A key
/// added for rotation should be published at least this long before it signs.
pub const JWKS_MAX_AGE: u64 = 300;

/// A router serving `GET /.well-known/jwks.json`: the manager's public keys
/// ([`AuthManager::public_jwks`]) as `application/jwk-set+json`, with
/// `Cache-Control: public, max-age=300`, a strong `ETag`, and 304 to a matching
/// `If-None-Match`. An HMAC key is never in it. Merge it into the application's router.
///
/// ```
/// use auth_runtime::{Algorithm, AuthManager, Key, jwks};
/// use axum::Router;
///
/// let manager = AuthManager::builder()
///     .issuer("https://auth.example.com")
///     .signing_key(Key::hmac(Algorithm::HS256, "a-secret-of-at-least-thirty-two-bytes!")?)
///     .build()?;
/// let app: Router = Router::new().merge(jwks::routes(&manager));
/// assert_eq!(manager.public_jwks(), serde_json::json!({"keys": []})); // never a secret
/// # Ok::<(), auth_runtime::ConfigError>(())
/// ```
pub fn routes<S>(manager: &AuthManager) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let manager = manager.clone();
    Router::new().route(
        JWKS_PATH,
        get(move |headers: HeaderMap| async move { key_set(&manager, &headers) }),
    )
}

fn key_set(manager: &AuthManager, headers: &HeaderMap) -> Response {
    let published = manager.published_keys();
    let etag = HeaderValue::from_str(&published.etag).ok();
    let cache = HeaderValue::from_str(&format!("public, max-age={JWKS_MAX_AGE}")).ok();
    let matches = headers.get_all(IF_NONE_MATCH).iter().any(|v| {
        v.to_str().is_ok_and(|v| {
            v.split(',')
                .any(|t| t.trim() == published.etag || t.trim() == "*")
        })
    });
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                CONTENT_TYPE,
                HeaderValue::from_static("application/jwk-set+json"),
            )],
            published.body.clone(),
        )
            .into_response()
    };
    let headers = response.headers_mut();
    if let Some(etag) = etag {
        headers.insert(ETAG, etag);
    }
    if let Some(cache) = cache {
        headers.insert(CACHE_CONTROL, cache);
    }
    response
}
