//! The [`AuthManager`]: keys, policy and hooks, built once and shared by every guard.
//!
//! A façade: each part is owned by the module of its idea (the [`Issuer`] by
//! `token::issue`, the [`Validator`] by `token::verify`, the [`TokenSources`] by
//! `token::location`), and the manager assembles them from the checked
//! [`Settings`](crate::config::Settings) of its builder.
//!
//! The sessions (login, refresh with rotation, logout) are in `session`; opaque tokens
//! and API keys in `credentials`.
//!
//! May use: `config`, `store`, `policy`, `token`, `error`. Never `request` (which uses the manager).

mod credentials;
mod session;

use std::{sync::Arc, time::Duration};

use axum::http::{HeaderMap, HeaderValue};
use jsonwebtoken::Algorithm;

pub use self::session::{SessionError, TokenPair};
use crate::{
    config::{AuthManagerBuilder, ConfigError, Settings},
    credential::TokenLoader,
    error::{AuthError, ErrorHandler},
    policy::csrf::CsrfPolicy,
    store::{Store, StoreKey},
    token::{
        Credential, CurrentToken, Issuer, Lifetimes, Policy, TokenBuilder, TokenKind, TokenSources,
        Trust, Validator, cookie::set_cookie, jwks::publish::PublishedKeys,
    },
};

/// Issues and verifies tokens, and holds the policy every guard applies.
///
/// Build it once at start-up ([`AuthManager::builder`] or [`AuthManager::from_env`]) and
/// install it on the router with `.layer(axum::Extension(manager))`. It is cheap to clone
/// (one `Arc`), so handlers can take it as `Extension<AuthManager>` to issue tokens.
///
/// ```
/// use auth_runtime::{Algorithm, AuthManager, Key};
/// use axum::{routing::get, Extension, Router};
///
/// let manager = AuthManager::builder()
///     .issuer("my-service")
///     .signing_key(Key::hmac(Algorithm::HS256, "a-secret-of-at-least-thirty-two-bytes!")?)
///     .build()?;
/// let app: Router = Router::new()
///     .route("/", get(|| async { "hello" }))
///     .layer(Extension(manager));
/// # Ok::<(), auth_runtime::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct AuthManager {
    inner: Arc<Inner>,
}

struct Inner {
    issuing: Issuer,
    validator: Validator,
    sources: TokenSources,
    lifetimes: Lifetimes,
    issuer_name: String,
    audience: Option<String>,
    leeway: u64,
    error_handler: Option<ErrorHandler>,
    store: Store,
    token_loader: Option<TokenLoader>,
    refresh_grace: Duration,
    fail_open: bool,
    csrf: CsrfPolicy,
    cookie_secure: bool,
    trace_subject: bool,
    published: PublishedKeys,
}

impl std::fmt::Debug for AuthManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let i = &self.inner;
        f.debug_struct("AuthManager")
            .field("issuer", &i.issuer_name)
            .field("audience", &i.audience)
            .field("signing_algorithm", &i.issuing.algorithm())
            .field("verification_keys", &i.validator.key_count())
            .field("auth_max_age", &i.lifetimes.auth)
            .field("refresh_max_age", &i.lifetimes.refresh)
            .field("leeway", &i.leeway)
            .finish_non_exhaustive()
    }
}

impl AuthManagerBuilder {
    /// Checks the configuration and builds the manager.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming the first setting that is missing or unusable. The
    /// manager also signs and verifies a probe token, so a private key that does not
    /// match its public key is reported here rather than at the first request.
    pub fn build(self) -> Result<AuthManager, ConfigError> {
        AuthManager::from_settings(self.into_settings()?)
    }
}

impl AuthManager {
    /// Starts a configuration. See [`AuthManagerBuilder`].
    pub fn builder() -> AuthManagerBuilder {
        AuthManagerBuilder::default()
    }

    /// Builds a manager from the `AUTH_*` environment variables listed in
    /// [`config::env`](crate::config::env). A missing or bad variable is a
    /// [`ConfigError`] that names it.
    pub fn from_env() -> Result<Self, ConfigError> {
        AuthManagerBuilder::from_env()?.build()
    }

    fn from_settings(settings: Settings) -> Result<Self, ConfigError> {
        let issuer = Issuer::new(
            settings.issuer.clone(),
            settings.audience.clone(),
            settings.lifetimes,
            settings.signing_key.as_ref(),
        );
        let own = (!settings.keys.is_empty()).then(|| {
            Trust::own(
                settings.issuer.clone(),
                settings.audience.clone(),
                settings.leeway,
                settings.lifetimes,
                &settings.keys,
            )
        });
        let validator = Validator::new(Policy {
            trusts: own.into_iter().chain(settings.providers).collect(),
            max_token_bytes: settings.max_token_bytes,
            cache_capacity: settings.cache_capacity,
            revocation: settings.revocation,
        });
        let manager = AuthManager {
            inner: Arc::new(Inner {
                issuing: issuer,
                validator,
                sources: settings.sources,
                lifetimes: settings.lifetimes,
                issuer_name: settings.issuer,
                audience: settings.audience,
                leeway: settings.leeway,
                error_handler: settings.error_handler,
                store: settings.store,
                token_loader: settings.token_loader,
                refresh_grace: settings.refresh_grace,
                fail_open: settings.fail_open,
                csrf: settings.csrf,
                cookie_secure: settings.cookie_secure,
                trace_subject: settings.trace_subject,
                published: PublishedKeys::new(&settings.keys),
            }),
        };
        manager.self_test()?;
        Ok(manager)
    }

    /// The issuer (`iss`) of this service's tokens (for a service that only trusts
    /// identity providers, the first provider's).
    pub fn issuer(&self) -> &str {
        &self.inner.issuer_name
    }

    /// The audience (`aud`) required on tokens, if one is configured.
    pub fn audience(&self) -> Option<&str> {
        self.inner.audience.as_deref()
    }

    /// The algorithm issued tokens are signed with, if this manager can sign.
    pub fn signing_algorithm(&self) -> Option<Algorithm> {
        self.inner.issuing.algorithm()
    }

    /// The lifetime of auth tokens.
    pub fn auth_max_age(&self) -> Duration {
        Duration::from_secs(self.inner.lifetimes.auth)
    }

    /// The lifetime of refresh tokens.
    pub fn refresh_max_age(&self) -> Duration {
        Duration::from_secs(self.inner.lifetimes.refresh)
    }

    /// Starts an auth token for `subject` (the `sub` claim).
    pub fn auth_token(&self, subject: impl Into<String>) -> TokenBuilder<'_> {
        self.inner.issuing.token(TokenKind::Auth, subject.into())
    }

    /// Starts a refresh token for `subject`. Refresh tokens carry no scope.
    pub fn refresh_token(&self, subject: impl Into<String>) -> TokenBuilder<'_> {
        self.inner.issuing.token(TokenKind::Refresh, subject.into())
    }

    /// Verifies a token: size, key, signature, algorithm, time claims, issuer, audience,
    /// claim types, lifetime and the [`is_revoked`](AuthManagerBuilder::is_revoked) hook.
    /// It does not check the token's kind or any route requirement (the guard does), nor
    /// the store's revocations, which need an `await`: use
    /// [`authenticate`](Self::authenticate) for that.
    ///
    /// A token verified before is served from the cache (when it is on) without its
    /// signature being checked again, but its expiry and revocation are checked on every
    /// call.
    pub fn verify(&self, token: &str) -> Result<CurrentToken, AuthError> {
        self.inner.validator.verify(token)
    }

    /// [`verify`](Self::verify), then the store: a token that was logged out (its `jti`)
    /// or whose refresh family was revoked is refused with [`AuthError::Revoked`]. What
    /// every guard runs.
    ///
    /// A token of an identity provider whose keys lack its `kid`, or that came before any
    /// keys, makes the provider's keys be fetched again (at most once per its cooldown,
    /// one fetch at a time) before it is refused.
    ///
    /// # Errors
    ///
    /// The verification's [`AuthError`], [`AuthError::Revoked`],
    /// [`AuthError::KeysUnavailable`] (503) when a provider's keys could never be
    /// fetched, or [`AuthError::StoreUnavailable`] (503) when the store cannot answer
    /// within its budget, unless
    /// [`accept_unchecked_revocations_during_outage`](AuthManagerBuilder::accept_unchecked_revocations_during_outage)
    /// is set.
    pub async fn authenticate(&self, token: &str) -> Result<CurrentToken, AuthError> {
        let token = self.inner.validator.verify_fetching(token).await?;
        self.check_revocations(token).await
    }

    /// The store's revocations of `token`'s `jti` and refresh family.
    async fn check_revocations(&self, token: CurrentToken) -> Result<CurrentToken, AuthError> {
        let ids = revocation_keys(&token);
        if ids.is_empty() {
            return Ok(token);
        }
        match self.inner.store.any_revoked(&ids).await {
            Ok(false) => Ok(token),
            Ok(true) => Err(AuthError::Revoked),
            // Only a signature vouches for a token the store cannot check.
            Err(error) if self.inner.fail_open && token.credential() == Credential::Jwt => {
                tracing::warn!(%error, "token store down: accepting a signed token unchecked for revocation");
                Ok(token)
            }
            Err(error) => Err(AuthError::StoreUnavailable(error)),
        }
    }

    /// Whether every key that verifies tokens is in hand: always for keys configured at
    /// start-up; for identity providers, once each one's key set has been fetched. For a
    /// health check: while it is false, tokens of a provider without keys answer 503.
    pub fn keys_loaded(&self) -> bool {
        self.inner.validator.trusts().iter().all(Trust::keys_loaded)
    }

    /// Fetches the keys of every identity provider that has none yet, or old ones
    /// (within each provider's cooldown); true when all are in hand. Never needed (the
    /// first request fetches them), but spawn it at start-up to have keys before the
    /// first request, without letting a provider that is down stop the service:
    /// `tokio::spawn(async move { manager.load_provider_keys().await })`.
    #[cfg(feature = "jwks")]
    pub async fn load_provider_keys(&self) -> bool {
        let mut all = true;
        for trust in self.inner.validator.trusts() {
            all &= trust.load_keys().await;
        }
        all
    }

    /// This service's public keys as a JWK set (RFC 7517), `{"keys": [...]}`: every
    /// asymmetric key that verifies its tokens, with its `kid`. HMAC keys are never
    /// published. [`jwks::routes`](crate::jwks::routes) serves it.
    pub fn public_jwks(&self) -> serde_json::Value {
        serde_json::from_str(&self.inner.published.body).unwrap_or_default()
    }

    /// The published key set: its body and `ETag`.
    pub(crate) fn published_keys(&self) -> &PublishedKeys {
        &self.inner.published
    }

    /// A `Set-Cookie` value that stores `token` in the configured cookie
    /// ([`cookie_name`](crate::AuthManagerBuilder::cookie_name)) for as long as a token of
    /// `kind` lives.
    ///
    /// The cookie is `HttpOnly` (no script can read it), `Secure` (never sent over plain
    /// HTTP), `SameSite=Strict` (not sent on cross-site requests) and `Path=/`.
    ///
    /// ```
    /// # use auth_runtime::{Algorithm, AuthManager, Key, TokenKind};
    /// # let manager = AuthManager::builder().issuer("svc")
    /// #     .signing_key(Key::hmac(Algorithm::HS256, "a-secret-of-at-least-thirty-two-bytes!")?).build()?;
    /// let token = manager.auth_token("alice").sign()?;
    /// let cookie = manager.token_cookie(&token, TokenKind::Auth);
    /// assert!(cookie.to_str()?.starts_with("auth_token="));
    /// assert!(cookie.to_str()?.ends_with("; Max-Age=3600; Path=/; HttpOnly; Secure; SameSite=Strict"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn token_cookie(&self, token: &str, kind: TokenKind) -> HeaderValue {
        set_cookie(
            self.inner.sources.cookie_name(kind),
            token,
            self.inner.lifetimes.max_age(kind),
            self.inner.cookie_secure,
        )
    }

    /// The token a browser sent in the cookie of `kind` (`None` when there is none, or
    /// more than one, or it is malformed). Not verified: pass it to
    /// [`authenticate`](Self::authenticate). For pages that act on a cookie without a
    /// guard, such as a login page that renews an expired session from the refresh
    /// cookie.
    pub fn cookie_token<'a>(&self, headers: &'a HeaderMap, kind: TokenKind) -> Option<&'a str> {
        let sources = &self.inner.sources;
        sources
            .in_cookie(headers, sources.cookie_name(kind))
            .ok()
            .flatten()
    }

    /// The two `Set-Cookie` values of a login or a refresh: the auth token in the auth
    /// cookie, the refresh token in the refresh cookie. Send both:
    /// `headers.append(SET_COOKIE, value)` for each.
    pub fn session_cookies(&self, pair: &TokenPair) -> [HeaderValue; 2] {
        [
            self.token_cookie(&pair.auth_token, TokenKind::Auth),
            self.token_cookie(&pair.refresh_token, TokenKind::Refresh),
        ]
    }

    /// The `Set-Cookie` values that delete both token cookies, auth and refresh (log out).
    /// Send both: `headers.append(SET_COOKIE, value)` for each.
    pub fn clear_token_cookies(&self) -> [HeaderValue; 2] {
        [TokenKind::Auth, TokenKind::Refresh].map(|kind| {
            set_cookie(
                self.inner.sources.cookie_name(kind),
                "",
                0,
                self.inner.cookie_secure,
            )
        })
    }

    /// The store that keeps revocations and refresh families.
    pub(crate) fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Whether decision events name the subject (`user.id`).
    pub(crate) fn trace_subject(&self) -> bool {
        self.inner.trace_subject
    }

    /// What requests with cookie tokens must show of their origin.
    pub(crate) fn csrf(&self) -> &CsrfPolicy {
        &self.inner.csrf
    }

    /// Where this manager looks for tokens.
    pub(crate) fn sources(&self) -> &TokenSources {
        &self.inner.sources
    }

    /// The application's replacement for refusal responses, if it set one.
    pub(crate) fn error_handler(&self) -> Option<&ErrorHandler> {
        self.inner.error_handler.as_ref()
    }

    /// Signs a probe token and verifies it, so a private key that does not match its
    /// public key is found at start-up rather than at the first request.
    fn self_test(&self) -> Result<(), ConfigError> {
        if self.inner.issuing.algorithm().is_none() {
            return Ok(());
        }
        let token = self
            .auth_token("auth-runtime-self-test")
            .sign()
            .map_err(|e| ConfigError::invalid("signing_key", format!("cannot sign: {e}")))?;
        self.inner
            .validator
            .verify_uncached(&token, jsonwebtoken::get_current_timestamp())
            .map(|_| ())
            .map_err(|e| {
                ConfigError::invalid(
                    "signing_key",
                    format!(
                        "a token it signs does not verify ({e}); do the private and public keys match?"
                    ),
                )
            })
    }
}

/// The store keys that revoke `token`: its own `jti` and its refresh family.
fn revocation_keys(token: &CurrentToken) -> Vec<StoreKey> {
    token
        .jti()
        .map(StoreKey::token)
        .into_iter()
        .chain(token.family().map(StoreKey::family))
        .collect()
}
