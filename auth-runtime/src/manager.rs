//! The [`AuthManager`]: keys, policy and hooks, built once and shared by every guard.

use std::{sync::Arc, time::Duration};

use jsonwebtoken::{Algorithm, EncodingKey};

use crate::{
    AuthManagerBuilder, ConfigError, TokenKind,
    cache::TokenCache,
    config::{ErrorHandler, RevocationCheck},
    location::TokenSources,
    verify::Verifier,
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
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) issuer: String,
    pub(crate) audience: Option<String>,
    pub(crate) signer: Option<Signer>,
    pub(crate) verifiers: Vec<Verifier>,
    pub(crate) auth_max_age: u64,
    pub(crate) refresh_max_age: u64,
    pub(crate) leeway: u64,
    pub(crate) sources: TokenSources,
    pub(crate) max_token_bytes: usize,
    pub(crate) cache: TokenCache,
    pub(crate) error_handler: Option<ErrorHandler>,
    pub(crate) revocation: Option<RevocationCheck>,
}

impl Inner {
    /// How long a token of `kind` lives, in seconds.
    pub(crate) fn max_age(&self, kind: TokenKind) -> u64 {
        match kind {
            TokenKind::Auth => self.auth_max_age,
            TokenKind::Refresh => self.refresh_max_age,
        }
    }
}

pub(crate) struct Signer {
    pub(crate) algorithm: Algorithm,
    pub(crate) kid: Option<String>,
    pub(crate) encoding: EncodingKey,
}

impl std::fmt::Debug for AuthManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let i = &self.inner;
        f.debug_struct("AuthManager")
            .field("issuer", &i.issuer)
            .field("audience", &i.audience)
            .field("signing_algorithm", &i.signer.as_ref().map(|s| s.algorithm))
            .field("verification_keys", &i.verifiers.len())
            .field("auth_max_age", &i.auth_max_age)
            .field("refresh_max_age", &i.refresh_max_age)
            .field("leeway", &i.leeway)
            .finish_non_exhaustive()
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

    /// The issuer (`iss`) of this service's tokens.
    pub fn issuer(&self) -> &str {
        &self.inner.issuer
    }

    /// The audience (`aud`) required on tokens, if one is configured.
    pub fn audience(&self) -> Option<&str> {
        self.inner.audience.as_deref()
    }

    /// The algorithm issued tokens are signed with, if this manager can sign.
    pub fn signing_algorithm(&self) -> Option<Algorithm> {
        self.inner.signer.as_ref().map(|s| s.algorithm)
    }

    /// The lifetime of auth tokens.
    pub fn auth_max_age(&self) -> Duration {
        Duration::from_secs(self.inner.auth_max_age)
    }

    /// The lifetime of refresh tokens.
    pub fn refresh_max_age(&self) -> Duration {
        Duration::from_secs(self.inner.refresh_max_age)
    }

    /// Signs a probe token and verifies it, so a private key that does not match its
    /// public key is found at start-up rather than at the first request.
    pub(crate) fn self_test(&self) -> Result<(), ConfigError> {
        if self.inner.signer.is_none() {
            return Ok(());
        }
        let token = self
            .auth_token("auth-runtime-self-test")
            .sign()
            .map_err(|e| ConfigError::invalid("signing_key", format!("cannot sign: {e}")))?;
        self.verify_uncached(&token, jsonwebtoken::get_current_timestamp())
            .map(|_| ()).map_err(|e| {
            ConfigError::invalid(
                "signing_key",
                format!(
                    "a token it signs does not verify ({e}); do the private and public keys match?"
                ),
            )
        })
    }
}
