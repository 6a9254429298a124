//! [`Provider`]: an identity provider whose tokens this service accepts, as the builder is
//! told about it. Checked when the manager is built; nothing is fetched then.

use std::time::Duration;

use jsonwebtoken::Algorithm;

use crate::{config::ConfigError, token::TokenKindRule};

/// Where a provider's keys are published.
#[derive(Debug, Clone)]
pub(crate) enum KeyLocation {
    /// A JWKS document at this URL.
    Jwks(String),
    /// The `jwks_uri` of the issuer's OIDC discovery document
    /// (`<issuer>/.well-known/openid-configuration`).
    Discovery,
}

/// An identity provider (Keycloak, Auth0, Entra ID, a sibling service) whose tokens this
/// service accepts: its issuer, where its keys are, and how its tokens are checked. Give
/// it to [`AuthManagerBuilder::provider`](crate::AuthManagerBuilder::provider); several
/// providers may be trusted side by side, each token's `iss` selects one.
///
/// Nothing is fetched when the manager is built: the keys are fetched at the first
/// request that needs them (or by [`AuthManager::load_provider_keys`](crate::AuthManager::load_provider_keys)),
/// refreshed when a token names an unknown `kid` (at most once per
/// [`refresh_cooldown`](Self::refresh_cooldown), one fetch at a time) and in the
/// background once they are older than [`max_age`](Self::max_age). When a fetch fails,
/// the keys fetched before keep verifying; while none could ever be fetched, requests
/// answer 503.
///
/// ```
/// use std::time::Duration;
/// use auth_runtime::{AuthManager, jwks::{Provider, TokenKindRule}};
///
/// let manager = AuthManager::builder()
///     .provider(
///         Provider::oidc("https://idp.example.com/realms/main")
///             .audience("orders-api")
///             .leeway(Duration::from_secs(30))
///             .token_kind(TokenKindRule::AccessTokenTyp),
///     )
///     .build()?;
/// assert!(!manager.keys_loaded()); // nothing fetched yet
/// # Ok::<(), auth_runtime::ConfigError>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Provider {
    pub(crate) issuer: String,
    pub(crate) location: KeyLocation,
    pub(crate) audience: Option<String>,
    pub(crate) leeway: Duration,
    pub(crate) kinds: TokenKindRule,
    pub(crate) algorithms: Vec<Algorithm>,
    pub(crate) refresh_cooldown: Duration,
    pub(crate) max_age: Duration,
    pub(crate) timeout: Duration,
    pub(crate) max_document_bytes: usize,
}

/// The least time between two fetches of one provider's keys, by default.
pub const DEFAULT_REFRESH_COOLDOWN: Duration = Duration::from_secs(30);
/// How old a provider's keys may grow before a background refresh, by default.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(600);
/// How long one HTTP request to a provider may take, by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest JWKS or discovery document accepted, by default.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 256 * 1024;

/// Every algorithm a provider's key may be pinned to (the asymmetric ones).
const ASYMMETRIC: [Algorithm; 9] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

impl Provider {
    /// A provider whose tokens carry `iss` = `issuer` and whose keys are the JWKS
    /// document at `jwks_url` (`https://`; plain `http://` only to a loopback address).
    pub fn jwks(issuer: impl Into<String>, jwks_url: impl Into<String>) -> Self {
        Self::new(issuer.into(), KeyLocation::Jwks(jwks_url.into()))
    }

    /// An OpenID Connect issuer (`https://`; plain `http://` only to a loopback
    /// address): its tokens carry `iss` = `issuer` exactly, and its keys are at the
    /// `jwks_uri` of `<issuer>/.well-known/openid-configuration`, whose `issuer` must
    /// be `issuer` (OpenID Connect Discovery §4.3).
    pub fn oidc(issuer: impl Into<String>) -> Self {
        Self::new(issuer.into(), KeyLocation::Discovery)
    }

    fn new(issuer: String, location: KeyLocation) -> Self {
        Self {
            issuer,
            location,
            audience: None,
            leeway: Duration::ZERO,
            kinds: TokenKindRule::default(),
            algorithms: ASYMMETRIC.to_vec(),
            refresh_cooldown: DEFAULT_REFRESH_COOLDOWN,
            max_age: DEFAULT_MAX_AGE,
            timeout: DEFAULT_TIMEOUT,
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }

    /// The audience (`aud`) this provider's tokens must name: this service's identifier
    /// at the provider. When unset, a token that carries any `aud` is refused.
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// Clock skew tolerated on this provider's `exp`, `nbf` and `iat` (default 0).
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// What counts as an auth token among this provider's tokens (default
    /// [`TokenKindRule::Any`]).
    pub fn token_kind(mut self, rule: TokenKindRule) -> Self {
        self.kinds = rule;
        self
    }

    /// The algorithms this provider's keys may use (default: every asymmetric one,
    /// RS*, PS*, ES256, ES384 and EdDSA). A key whose `alg` is not listed is refused;
    /// HMAC algorithms cannot be listed.
    pub fn algorithms(mut self, algorithms: impl IntoIterator<Item = Algorithm>) -> Self {
        self.algorithms = algorithms.into_iter().collect();
        self
    }

    /// The least time between two fetches of this provider's keys (default 30 s): a
    /// token naming an unknown `kid` causes a fetch only once this has passed since the
    /// last one, so a key the provider starts using is picked up within this time and a
    /// flood of made-up `kid`s costs one fetch per period.
    pub fn refresh_cooldown(mut self, cooldown: Duration) -> Self {
        self.refresh_cooldown = cooldown;
        self
    }

    /// How old the keys may grow before they are fetched again in the background, while
    /// requests keep being verified with them (default 600 s).
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// How long one HTTP request to the provider may take, connection included
    /// (default 5 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest document (JWKS or discovery) accepted, in bytes (default 256 KiB).
    pub fn max_document_bytes(mut self, max: usize) -> Self {
        self.max_document_bytes = max;
        self
    }

    /// The issuer (`iss`) of this provider's tokens.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Checks every setting; an error names the setting.
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        if self.issuer.is_empty() {
            return Err(ConfigError::invalid(
                "provider",
                "the issuer must not be empty",
            ));
        }
        if self.audience.as_deref() == Some("") {
            return Err(ConfigError::invalid(
                "provider.audience",
                "must not be empty",
            ));
        }
        if self.algorithms.is_empty() {
            return Err(ConfigError::invalid(
                "provider.algorithms",
                "list at least one algorithm",
            ));
        }
        if let Some(hmac) = self.algorithms.iter().find(|a| !ASYMMETRIC.contains(a)) {
            return Err(ConfigError::invalid(
                "provider.algorithms",
                format!("{hmac:?} is an HMAC algorithm: a key set never carries a shared secret"),
            ));
        }
        for (setting, value) in [
            ("provider.refresh_cooldown", self.refresh_cooldown),
            ("provider.timeout", self.timeout),
            ("provider.max_age", self.max_age),
        ] {
            if value.is_zero() {
                return Err(ConfigError::invalid(setting, "must be positive"));
            }
        }
        if self.max_document_bytes == 0 {
            return Err(ConfigError::invalid(
                "provider.max_document_bytes",
                "must be positive",
            ));
        }
        Ok(())
    }
}
