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

use std::{sync::Arc, time::Duration};

use moka::{Expiry, future::Cache};
use reqwest::{Client, StatusCode, Url};

use self::answer::{Active, Expected, form_encode, since_epoch};
use super::{LoadToken, Presented, TokenRecord, record::sha256};
use crate::{
    config::ConfigError,
    store::StoreError,
    token::{
        TokenKind,
        http::{self, FetchError, check_url},
    },
};

/// How long one introspection call may take by default.
pub const DEFAULT_INTROSPECTION_TIMEOUT: Duration = Duration::from_secs(1);
/// The largest introspection answer read by default.
pub const DEFAULT_INTROSPECTION_MAX_BYTES: usize = 64 * 1024;
/// How long an active answer is served from the cache by default.
pub const DEFAULT_INTROSPECTION_CACHE_TTL: Duration = Duration::from_secs(60);
/// How many tokens the cache holds by default.
pub const DEFAULT_INTROSPECTION_CACHE_CAPACITY: u64 = 10_000;

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
    /// The settings of a client of the endpoint at `endpoint` (`https://`, or `http://`
    /// to a loopback address), with the defaults; [`build`](IntrospectorBuilder::build)
    /// checks them.
    pub fn builder(endpoint: impl Into<String>) -> IntrospectorBuilder {
        IntrospectorBuilder {
            endpoint: endpoint.into(),
            auth: ClientAuth::None,
            timeout: DEFAULT_INTROSPECTION_TIMEOUT,
            max_bytes: DEFAULT_INTROSPECTION_MAX_BYTES,
            expected: Expected::default(),
            ttl: DEFAULT_INTROSPECTION_CACHE_TTL,
            capacity: DEFAULT_INTROSPECTION_CACHE_CAPACITY,
        }
    }

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

/// The settings of an [`Introspector`], checked by [`build`](Self::build).
#[derive(Clone)]
#[must_use]
pub struct IntrospectorBuilder {
    endpoint: String,
    auth: ClientAuth,
    timeout: Duration,
    max_bytes: usize,
    expected: Expected,
    ttl: Duration,
    capacity: u64,
}

impl std::fmt::Debug for IntrospectorBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntrospectorBuilder")
            .field("endpoint", &self.endpoint)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl IntrospectorBuilder {
    /// Authenticates this service to the endpoint with HTTP Basic: its client id and
    /// secret (RFC 7662 §2.1, each form-encoded first as RFC 6749 §2.3.1 asks).
    pub fn client_credentials(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.auth = ClientAuth::Basic {
            id: id.into(),
            secret: secret.into(),
        };
        self
    }

    /// Authenticates this service to the endpoint with a bearer token of its own, instead
    /// of client credentials.
    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.auth = ClientAuth::Bearer(token.into());
        self
    }

    /// How long one call may take, connection included (default 1 s). Past it the
    /// request answers 503.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest answer read (default 64 KiB). A larger one answers 503.
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_bytes = max;
        self
    }

    /// The `iss` an answer must carry; one without it, or with another, refuses the token.
    pub fn expected_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.expected.issuer = Some(issuer.into());
        self
    }

    /// An audience the answer's `aud` (a string or an array) must hold; one without it
    /// refuses the token.
    pub fn expected_audience(mut self, audience: impl Into<String>) -> Self {
        self.expected.audience = Some(audience.into());
        self
    }

    /// How long an active answer is served from the cache (default 60 s; never past the
    /// token's `exp`). Also how long a token revoked at the authorization server may still
    /// be accepted. Zero asks the endpoint on every request.
    pub fn cache_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// How many tokens the cache holds (default 10 000); past it, the least useful go.
    pub fn cache_capacity(mut self, capacity: u64) -> Self {
        self.capacity = capacity;
        self
    }

    /// The introspector, once the settings are checked.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming the setting: `introspector.endpoint` (not an `https://`
    /// URL, or plain `http://` beyond a loopback address, or credentials in it),
    /// `introspector.timeout` (zero), `introspector.max_response_bytes` (zero),
    /// `introspector.client_credentials` (an empty id), `introspector.bearer` (empty),
    /// `introspector.expected_issuer` or `introspector.expected_audience` (empty).
    pub fn build(self) -> Result<Introspector, ConfigError> {
        let endpoint = check_url("introspector.endpoint", &self.endpoint)?;
        let client = http::client("introspector.timeout", self.timeout)?;
        if self.max_bytes == 0 {
            return Err(ConfigError::invalid(
                "introspector.max_response_bytes",
                "must not be zero",
            ));
        }
        match &self.auth {
            ClientAuth::Basic { id, .. } if id.is_empty() => {
                return Err(ConfigError::invalid(
                    "introspector.client_credentials",
                    "the client id must not be empty",
                ));
            }
            ClientAuth::Bearer(token) if token.is_empty() => {
                return Err(ConfigError::invalid(
                    "introspector.bearer",
                    "the token must not be empty",
                ));
            }
            _ => {}
        }
        for (setting, value) in [
            ("introspector.expected_issuer", &self.expected.issuer),
            ("introspector.expected_audience", &self.expected.audience),
        ] {
            if value.as_deref() == Some("") {
                return Err(ConfigError::invalid(setting, "must not be empty"));
            }
        }
        let cache = Cache::builder()
            .max_capacity(self.capacity)
            .expire_after(UntilExp)
            .build();
        Ok(Introspector(Arc::new(Inner {
            endpoint,
            client,
            auth: self.auth,
            max_bytes: self.max_bytes,
            expected: self.expected,
            ttl: self.ttl,
            cache,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(builder: IntrospectorBuilder) -> String {
        builder.build().unwrap_err().setting().to_owned()
    }

    #[test]
    fn bad_settings_are_refused_by_name() {
        let at = || Introspector::builder("https://as.example.com/introspect");
        assert!(at().build().is_ok());
        assert!(
            Introspector::builder("http://127.0.0.1:9/introspect")
                .build()
                .is_ok()
        );
        for endpoint in [
            "http://as.example.com/introspect",
            "ftp://as/introspect",
            "introspect",
            "https://rs:secret@as.example.com/introspect",
        ] {
            assert_eq!(
                setting(Introspector::builder(endpoint)),
                "introspector.endpoint",
                "{endpoint}"
            );
        }
        assert_eq!(
            setting(at().timeout(Duration::ZERO)),
            "introspector.timeout"
        );
        assert_eq!(
            setting(at().max_response_bytes(0)),
            "introspector.max_response_bytes"
        );
        assert_eq!(
            setting(at().client_credentials("", "secret")),
            "introspector.client_credentials"
        );
        assert_eq!(setting(at().bearer("")), "introspector.bearer");
        assert_eq!(
            setting(at().expected_issuer("")),
            "introspector.expected_issuer"
        );
        assert_eq!(
            setting(at().expected_audience("")),
            "introspector.expected_audience"
        );
    }

    #[test]
    fn debug_shows_the_endpoint_never_the_secret() {
        let builder = Introspector::builder("https://as.example.com/introspect")
            .client_credentials("rs", "hunter2-secret");
        assert!(!format!("{builder:?}").contains("hunter2"));
        let built = builder.build().unwrap();
        let shown = format!("{built:?}");
        assert!(shown.contains("as.example.com") && !shown.contains("hunter2"));
    }
}
