//! [`AuthManagerBuilder`]: every setting of the manager, with its default, checked once by
//! `build()`.

use std::{sync::Arc, time::Duration};

use axum::response::Response;

use super::{
    DEFAULT_AUTH_MAX_AGE, DEFAULT_CACHE_CAPACITY, DEFAULT_MAX_TOKEN_BYTES, DEFAULT_REFRESH_GRACE,
    DEFAULT_REFRESH_MAX_AGE, DEFAULT_STORE_BUDGET,
};
use crate::{
    credential::{LoadToken, TokenLoader},
    error::{AuthError, ErrorHandler},
    policy::csrf::CsrfProtection,
    store::{Store, TokenStore},
    token::{CurrentToken, Key, RevocationCheck, TokenLocation},
};

/// Builds an [`AuthManager`](crate::AuthManager). Start with
/// [`AuthManager::builder`](crate::AuthManager::builder).
///
/// ```
/// use std::time::Duration;
/// use auth_runtime::{Algorithm, AuthManager, Key};
///
/// let manager = AuthManager::builder()
///     .issuer("my-service")
///     .signing_key(Key::hmac(Algorithm::HS256, "a-secret-of-at-least-thirty-two-bytes!")?)
///     .auth_max_age(Duration::from_secs(900))
///     .build()?;
/// # Ok::<(), auth_runtime::ConfigError>(())
/// ```
#[must_use]
pub struct AuthManagerBuilder {
    pub(super) issuer: Option<String>,
    pub(super) audience: Option<String>,
    pub(super) signing_key: Option<Key>,
    pub(super) verification_keys: Vec<Key>,
    pub(super) auth_max_age: Duration,
    pub(super) refresh_max_age: Duration,
    pub(super) leeway: Duration,
    pub(super) header_name: String,
    pub(super) scheme: String,
    pub(super) cookie_name: String,
    pub(super) refresh_cookie_name: String,
    pub(super) query_parameter: String,
    pub(super) locations: Vec<TokenLocation>,
    pub(super) max_token_bytes: usize,
    pub(super) cache_capacity: usize,
    pub(super) error_handler: Option<ErrorHandler>,
    pub(super) revocation: Option<RevocationCheck>,
    pub(super) store: Option<Store>,
    pub(super) token_loader: Option<TokenLoader>,
    pub(super) api_key_header: String,
    pub(super) store_budget: Duration,
    pub(super) refresh_grace: Duration,
    pub(super) fail_open: bool,
    pub(super) csrf: CsrfProtection,
    pub(super) trusted_origins: Vec<String>,
    pub(super) cookie_secure: bool,
    pub(super) trace_subject: bool,
    #[cfg(feature = "jwks")]
    pub(super) providers: Vec<crate::token::jwks::Provider>,
}

impl std::fmt::Debug for AuthManagerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthManagerBuilder")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("signing_key", &self.signing_key)
            .field("verification_keys", &self.verification_keys)
            .field("auth_max_age", &self.auth_max_age)
            .field("refresh_max_age", &self.refresh_max_age)
            .field("leeway", &self.leeway)
            .field("store", &self.store.is_some())
            .field("providers", &self.provider_issuers())
            .finish_non_exhaustive()
    }
}

impl Default for AuthManagerBuilder {
    fn default() -> Self {
        Self {
            issuer: None,
            audience: None,
            signing_key: None,
            verification_keys: Vec::new(),
            auth_max_age: DEFAULT_AUTH_MAX_AGE,
            refresh_max_age: DEFAULT_REFRESH_MAX_AGE,
            leeway: Duration::ZERO,
            header_name: "authorization".into(),
            scheme: "Bearer".into(),
            cookie_name: "auth_token".into(),
            refresh_cookie_name: "refresh_token".into(),
            query_parameter: "access_token".into(),
            locations: vec![TokenLocation::Header],
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
            cache_capacity: DEFAULT_CACHE_CAPACITY,
            error_handler: None,
            revocation: None,
            store: None,
            token_loader: None,
            api_key_header: "x-api-key".into(),
            store_budget: DEFAULT_STORE_BUDGET,
            refresh_grace: DEFAULT_REFRESH_GRACE,
            fail_open: false,
            csrf: CsrfProtection::default(),
            trusted_origins: Vec::new(),
            cookie_secure: true,
            trace_subject: false,
            #[cfg(feature = "jwks")]
            providers: Vec::new(),
        }
    }
}

impl AuthManagerBuilder {
    /// The issuer (`iss`) stamped on every token and required on every token this
    /// service's own keys verify. Required, unless the service only verifies tokens of
    /// identity providers ([`provider`](Self::provider)).
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// The audience (`aud`) stamped on issued tokens and required on verified ones. When
    /// unset (the default), a token that carries any `aud` is refused.
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// The key that signs issued tokens; it also verifies them. Required unless at least
    /// one [`verification_key`](Self::verification_key) or
    /// [`provider`](Self::provider) is given (a verify-only service).
    pub fn signing_key(mut self, key: Key) -> Self {
        self.signing_key = Some(key);
        self
    }

    /// Another key that verifies tokens (key rotation, or a verify-only service). When
    /// more than one key verifies, a token's header must pick exactly one:
    ///
    /// - every key has a `kid` ([`Key::with_kid`]), no two the same, and a token is
    ///   verified by the key of its exact `kid`;
    /// - or no key has one, no two share an algorithm, and a token is verified by the key
    ///   pinned to its `alg`: one HMAC secret for several algorithms (nsj-flask-auth's
    ///   `HS256,HS512`). A token whose `alg` no key was configured with is refused.
    ///
    /// ```
    /// use auth_runtime::{Algorithm, AuthManager, Key};
    ///
    /// // HS512 needs a 64-byte secret; the same one serves HS256.
    /// let secret = "a-shared-secret-long-enough-for-hs512-which-wants-sixty-four-bytes";
    /// let manager = AuthManager::builder()
    ///     .issuer("my-service")
    ///     .signing_key(Key::hmac(Algorithm::HS256, secret)?)
    ///     .verification_key(Key::hmac(Algorithm::HS512, secret)?)
    ///     .build()?;
    /// # let _ = manager;
    /// # Ok::<(), auth_runtime::ConfigError>(())
    /// ```
    pub fn verification_key(mut self, key: Key) -> Self {
        self.verification_keys.push(key);
        self
    }

    /// Trusts an identity provider (feature `jwks`): tokens whose `iss` is the
    /// provider's are verified with the keys it publishes, against its own audience,
    /// leeway and [`TokenKindRule`](crate::jwks::TokenKindRule). Call it once per
    /// provider; each issuer may be trusted once. Nothing is fetched by `build()`.
    #[cfg(feature = "jwks")]
    pub fn provider(mut self, provider: crate::token::jwks::Provider) -> Self {
        self.providers.push(provider);
        self
    }

    /// The issuers of the trusted providers, for `Debug`.
    fn provider_issuers(&self) -> Vec<&str> {
        #[cfg(feature = "jwks")]
        return self.providers.iter().map(|p| p.issuer()).collect();
        #[cfg(not(feature = "jwks"))]
        Vec::new()
    }

    /// Lifetime of auth tokens (default 3600 s).
    pub fn auth_max_age(mut self, max_age: Duration) -> Self {
        self.auth_max_age = max_age;
        self
    }

    /// Lifetime of refresh tokens (default 604800 s).
    pub fn refresh_max_age(mut self, max_age: Duration) -> Self {
        self.refresh_max_age = max_age;
        self
    }

    /// Clock skew tolerated on `exp`, `nbf` and `iat` (default 0).
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// The header that carries the token (default `Authorization`).
    pub fn header_name(mut self, name: impl Into<String>) -> Self {
        self.header_name = name.into();
        self
    }

    /// The scheme before the token in that header (default `Bearer`; matched
    /// case-insensitively, RFC 9110 §11.1).
    pub fn scheme(mut self, scheme: impl Into<String>) -> Self {
        self.scheme = scheme.into();
        self
    }

    /// The cookie that carries the token where a route reads cookies (default
    /// `auth_token`).
    pub fn cookie_name(mut self, name: impl Into<String>) -> Self {
        self.cookie_name = name.into();
        self
    }

    /// The cookie that carries refresh tokens where a refresh route reads cookies
    /// (default `refresh_token`). It must differ from
    /// [`cookie_name`](Self::cookie_name).
    pub fn refresh_cookie_name(mut self, name: impl Into<String>) -> Self {
        self.refresh_cookie_name = name.into();
        self
    }

    /// The store that keeps revocations and refresh families (default: a
    /// [`MemoryStore`](crate::store::MemoryStore) of this process). Give every instance of a service the same store
    /// (`RedisStore`, feature `redis`) so a logout on one is seen by all.
    pub fn store(mut self, store: impl TokenStore) -> Self {
        self.store = Some(Store::new(store, DEFAULT_STORE_BUDGET));
        self
    }

    /// Where opaque tokens are looked up: your own [`LoadToken`] (flask-stateless-auth's
    /// `token_loader`) or, with feature `introspection`, an RFC 7662 introspection
    /// client. Default: the
    /// store, where [`login_opaque`](crate::AuthManager::login_opaque) puts them.
    pub fn token_loader(mut self, loader: impl LoadToken) -> Self {
        self.token_loader = Some(TokenLoader::new(loader));
        self
    }

    /// The header that carries API keys (default `X-API-Key`).
    pub fn api_key_header(mut self, name: impl Into<String>) -> Self {
        self.api_key_header = name.into();
        self
    }

    /// How long one store call may take before the request answers 503 (default 250 ms).
    pub fn store_budget(mut self, budget: Duration) -> Self {
        self.store_budget = budget;
        self
    }

    /// How long a spent refresh token may be presented again and get the same successor
    /// (a lost response, two tabs refreshing at once; default 10 s). After it, presenting
    /// it again revokes its whole family.
    pub fn refresh_grace(mut self, grace: Duration) -> Self {
        self.refresh_grace = grace;
        self
    }

    /// Lets signed tokens through when the store cannot say whether they are revoked (an
    /// outage), instead of answering 503. Off by default: a revoked token may be accepted
    /// while the store is down. Every such request is logged at `warn`. Logins, refreshes
    /// and logouts still answer 503: nothing is recorded that the store did not record.
    pub fn accept_unchecked_revocations_during_outage(mut self) -> Self {
        self.fail_open = true;
        self
    }

    /// How routes that read their token from a cookie are protected against cross-site
    /// requests (default [`CsrfProtection::FetchMetadata`]: an unsafe method from another
    /// origin, a sibling subdomain or another port included, is refused with 403
    /// `csrf_rejected`). Routes that read a header or the query are never affected.
    pub fn csrf(mut self, protection: CsrfProtection) -> Self {
        self.csrf = protection;
        self
    }

    /// Origins (`https://app.example.com`, with a port where it is not the default)
    /// allowed to send unsafe requests with cookie tokens from another origin: your own
    /// front end on another host. Each is checked by `build()`.
    pub fn trusted_origins<I, T>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<String>,
    {
        self.trusted_origins
            .extend(origins.into_iter().map(Into::into));
        self
    }

    /// Whether token cookies carry `Secure` (default: yes, browsers then send them over
    /// HTTPS only, and over plain HTTP to `localhost`). Turn it off only to serve a
    /// development build over plain HTTP on another host name.
    pub fn cookie_secure(mut self, secure: bool) -> Self {
        self.cookie_secure = secure;
        self
    }

    /// Whether each guard decision's `tracing` event names the subject as `user.id`
    /// (default: no; a subject is personal data in many deployments). The token itself is
    /// never logged.
    pub fn trace_subject(mut self, on: bool) -> Self {
        self.trace_subject = on;
        self
    }

    /// The query parameter that carries the token where a route reads the query (default
    /// `access_token`). Tokens in URLs end up in logs: prefer a header or a cookie.
    pub fn query_parameter(mut self, name: impl Into<String>) -> Self {
        self.query_parameter = name.into();
        self
    }

    /// Where routes that do not say `location = ...` read their token (default: the
    /// header only). A request that carries a token in two of these places is refused
    /// with 400 `invalid_request`.
    pub fn token_locations(mut self, locations: impl IntoIterator<Item = TokenLocation>) -> Self {
        self.locations = locations.into_iter().collect();
        self
    }

    /// The longest token accepted, in bytes (default 8 KiB); longer ones are refused
    /// before any decoding.
    pub fn max_token_bytes(mut self, max: usize) -> Self {
        self.max_token_bytes = max;
        self
    }

    /// How many verified tokens the cache keeps (default 4096); 0 turns the cache off.
    /// A cached token skips signature verification and claim parsing only: its expiry,
    /// revocation and every route's requirement are checked on every request.
    pub fn cache_capacity(mut self, capacity: usize) -> Self {
        self.cache_capacity = capacity;
        self
    }

    /// Shapes the response of every refused request. The hook gets the error and the
    /// default RFC 6750 response (the status of [`AuthError::status`],
    /// `WWW-Authenticate`, `Cache-Control: no-store` and a JSON body
    /// `{"error", "message"}`), and returns the response to send: change what you need
    /// and the rest, the RFC 6750 headers included, stays.
    ///
    /// ```
    /// use auth_runtime::{Algorithm, AuthManager, Key};
    /// use axum::{response::IntoResponse, Json};
    ///
    /// let manager = AuthManager::builder()
    ///     .issuer("my-service")
    ///     .signing_key(Key::hmac(Algorithm::HS256, "a-secret-of-at-least-thirty-two-bytes!")?)
    ///     .on_error(|error, default| {
    ///         // Keep the status and headers, replace the body.
    ///         let (parts, _) = default.into_parts();
    ///         let body = serde_json::json!({"code": error.body_code(), "status": error.status().as_u16()});
    ///         (parts, Json(body)).into_response()
    ///     })
    ///     .build()?;
    /// # let _ = manager;
    /// # Ok::<(), auth_runtime::ConfigError>(())
    /// ```
    pub fn on_error<F>(mut self, handler: F) -> Self
    where
        F: Fn(&AuthError, Response) -> Response + Send + Sync + 'static,
    {
        self.error_handler = Some(Arc::new(handler));
        self
    }

    /// Checks every verified token against a revocation list: return `true` to refuse it
    /// (401 `invalid_token`). Key the list on the token's `jti`, never on the token text:
    /// ECDSA signatures are malleable, and while a key pair of this service takes only
    /// the low-S form it writes, a verification-only key or a provider's takes both.
    pub fn is_revoked<F>(mut self, check: F) -> Self
    where
        F: Fn(&CurrentToken) -> bool + Send + Sync + 'static,
    {
        self.revocation = Some(Arc::new(check));
        self
    }
}
