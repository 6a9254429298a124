//! Opaque tokens vouched for by an OAuth 2.0 authorization server's introspection
//! endpoint (RFC 7662): the [`Introspector`], a [`LoadToken`] the application installs
//! with [`token_loader`](crate::AuthManagerBuilder::token_loader).
//!
//! - **Request**: `POST` of `token=…&token_type_hint=access_token` (`refresh_token` on a
//!   refresh route), `Accept: application/json`, this service authenticated by HTTP
//!   Basic ([`client_credentials`](IntrospectorBuilder::client_credentials), RFC 7662
//!   §2.1) or a bearer token ([`bearer`](IntrospectorBuilder::bearer)). A timeout
//!   (1 s), no redirects, a size limit on the answer (64 KiB).
//! - **Answer**, read strictly: only a 200 whose body is a JSON object with `active` the
//!   boolean `true` vouches for the token. `active: false`, an `exp` passed, an `nbf` to
//!   come, an `iss` or `aud` other than the expected ones, or no subject (`sub`, else
//!   `username`) refuse it: **401**. The subject, the `scope` (space-delimited, as the
//!   guard's `scope(...)` reads it) and every other member become the token's claims; its
//!   kind is the one the route expects.
//! - **The endpoint at fault** (down, slow past the timeout, any status but 200, a 401 or
//!   403 refusing this service's own credentials, an oversized or malformed answer,
//!   `"active": "true"`): [`StoreError::Upstream`], so the request answers **503**, never
//!   401. It recovers by itself with the endpoint.
//! - **Cache**: active answers only, keyed by the token's SHA-256 (the token itself is
//!   neither kept nor logged), each for the cache TTL (60 s) and never past its `exp`,
//!   bounded in entries (10 000). Concurrent requests for one token share one call. The
//!   TTL is how long a token revoked at the authorization server may still be accepted
//!   here: [`invalidate`](Introspector::invalidate) forgets one at once (a local
//!   logout).

mod answer;
mod builder;

use std::{sync::Arc, time::Duration};

use moka::{Expiry, future::Cache};
use reqwest::{Client, StatusCode, Url};

use self::answer::{Active, Expected, form_encode, since_epoch};
pub use self::builder::{
    DEFAULT_INTROSPECTION_CACHE_CAPACITY, DEFAULT_INTROSPECTION_CACHE_TTL,
    DEFAULT_INTROSPECTION_MAX_BYTES, DEFAULT_INTROSPECTION_TIMEOUT, IntrospectorBuilder,
};
use super::{LoadToken, Presented, TokenRecord, record::sha256};
use crate::{
    store::StoreError,
    token::{
        TokenKind,
        http::{self, FetchError},
    },
};

/// How this service authenticates to the endpoint.
#[derive(Clone)]
enum ClientAuth {
    None,
    Basic { id: String, secret: String },
    Bearer(String),
}

/// A client of an RFC 7662 introspection endpoint, with its cache: the [`LoadToken`]
/// that checks `credential = "opaque"` routes against an authorization server. Cheap to
/// clone; clones share the client and the cache, so keep one to
/// [`invalidate`](Self::invalidate) tokens after installing another.
///
/// ```
/// use auth_runtime::{AuthManager, credential::introspection::Introspector};
///
/// # fn main() -> Result<(), auth_runtime::ConfigError> {
/// let introspector = Introspector::builder("https://as.example.com/oauth2/introspect")
///     .client_credentials("orders-api", "the client secret")
///     .expected_issuer("https://as.example.com")
///     .expected_audience("orders-api")
///     .build()?;
/// let manager = AuthManager::builder()
///     .issuer("orders-api")
/// #   .signing_key(auth_runtime::Key::hmac(auth_runtime::Algorithm::HS256, [7u8; 32])?)
///     .token_loader(introspector.clone())
///     .build()?;
/// # let _ = manager;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Introspector(Arc<Inner>);

struct Inner {
    endpoint: Url,
    client: Client,
    auth: ClientAuth,
    max_bytes: usize,
    expected: Expected,
    ttl: Duration,
    cache: Cache<[u8; 32], Arc<Active>>,
}

impl std::fmt::Debug for Introspector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Introspector")
            .field("endpoint", &self.0.endpoint.as_str())
            .finish_non_exhaustive()
    }
}

/// Why a token was not vouched for, shared by every request that waited for the call.
#[derive(Debug)]
enum Miss {
    /// The endpoint answered: not active, or not for this service.
    Inactive,
    /// The endpoint could not answer.
    Upstream(StoreError),
}

impl Introspector {
    /// Forgets the cached answer about `token`, so its next use asks the endpoint again:
    /// call it when this service logs the token out. (An answer that a call in flight
    /// brings back is still cached.)
    pub async fn invalidate(&self, token: &str) {
        self.0.cache.invalidate(&sha256(token.as_bytes())).await;
    }

    /// One call to the endpoint about `presented`, never cached.
    async fn introspect(&self, presented: &Presented<'_>) -> Result<Arc<Active>, Miss> {
        let inner = &*self.0;
        let hint = match presented.kind() {
            TokenKind::Refresh => "refresh_token",
            _ => "access_token",
        };
        let form = format!(
            "token={}&token_type_hint={hint}",
            form_encode(presented.token())
        );
        let request = inner
            .client
            .post(inner.endpoint.clone())
            .header("accept", "application/json")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form);
        let request = match &inner.auth {
            ClientAuth::None => request,
            ClientAuth::Basic { id, secret } => {
                request.basic_auth(form_encode(id), Some(form_encode(secret)))
            }
            ClientAuth::Bearer(token) => request.bearer_auth(token),
        };
        let body = async {
            let response = request.send().await.map_err(FetchError::Http)?;
            http::read_body(response, inner.max_bytes).await
        }
        .await
        .map_err(|error| {
            if let FetchError::Status(StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) = error {
                tracing::error!(
                    endpoint = %inner.endpoint,
                    %error,
                    "the introspection endpoint refused this service's client credentials"
                );
            }
            Miss::Upstream(StoreError::Upstream(format!(
                "introspection endpoint {}: {error}",
                inner.endpoint
            )))
        })?;
        answer::read(
            &body,
            presented.kind(),
            &inner.expected,
            inner.ttl,
            since_epoch(),
        )
        .map_err(Miss::Upstream)?
        .map(Arc::new)
        .ok_or(Miss::Inactive)
    }
}

impl LoadToken for Introspector {
    async fn load(&self, presented: &Presented<'_>) -> Result<Option<TokenRecord>, StoreError> {
        let found = self
            .0
            .cache
            .try_get_with(presented.digest(), self.introspect(presented))
            .await;
        match found {
            Ok(active) => Ok(Some(active.record.clone())),
            Err(miss) => match &*miss {
                Miss::Inactive => Ok(None),
                Miss::Upstream(error) => Err(error.clone()),
            },
        }
    }
}

/// Each entry lives as long as its answer allows: the TTL, never past `exp`.
struct UntilExp;

impl Expiry<[u8; 32], Arc<Active>> for UntilExp {
    fn expire_after_create(
        &self,
        _: &[u8; 32],
        value: &Arc<Active>,
        _: std::time::Instant,
    ) -> Option<Duration> {
        Some(value.lives)
    }
}
