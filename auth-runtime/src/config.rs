//! Configuration: the [`AuthManagerBuilder`], `from_env`, and the errors of start-up.
//!
//! Everything that can be wrong with a configuration is found by
//! [`AuthManagerBuilder::build`] (or [`AuthManager::from_env`]) and reported as a
//! [`ConfigError`] that names the setting, so a bad deployment fails at start-up and not
//! at its first request.

use std::{fmt, sync::Arc, time::Duration};

use axum::{http::HeaderName, response::Response};
use jsonwebtoken::Algorithm;

use crate::{
    AuthError, AuthManager, CurrentToken, Key, TokenLocation,
    cache::TokenCache,
    location::TokenSources,
    manager::{Inner, Signer},
    verify::Verifier,
};

/// What is wrong with a configuration. Every variant names the setting to fix: a builder
/// method name, or the environment variable it came from.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required setting is missing.
    Missing {
        /// The setting or environment variable.
        setting: String,
    },
    /// A setting has a value that cannot be used.
    Invalid {
        /// The setting or environment variable.
        setting: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An HMAC secret is shorter than its hash output (RFC 7518 §3.2).
    WeakSecret {
        /// The setting or environment variable.
        setting: String,
        /// The algorithm the secret is for.
        algorithm: Algorithm,
        /// The least number of bytes the algorithm accepts.
        min_bytes: usize,
        /// The number of bytes given.
        actual_bytes: usize,
    },
    /// An RSA key is shorter than 2048 bits (RFC 7518 §3.3).
    WeakRsaKey {
        /// The setting or environment variable.
        setting: String,
        /// The key's modulus length.
        bits: usize,
    },
    /// jsonwebtoken could not load the key.
    Key {
        /// The setting or environment variable.
        setting: String,
        /// jsonwebtoken's error.
        source: jsonwebtoken::errors::Error,
    },
    /// A key file could not be read.
    Io {
        /// The environment variable that names the file.
        setting: String,
        /// The file's path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl ConfigError {
    pub(crate) fn invalid(setting: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid {
            setting: setting.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn missing(setting: impl Into<String>) -> Self {
        Self::Missing {
            setting: setting.into(),
        }
    }

    pub(crate) fn key(setting: &str, source: jsonwebtoken::errors::Error) -> Self {
        Self::Key {
            setting: setting.to_owned(),
            source,
        }
    }

    /// The setting (builder method or environment variable) this error is about.
    pub fn setting(&self) -> &str {
        match self {
            Self::Missing { setting }
            | Self::Invalid { setting, .. }
            | Self::WeakSecret { setting, .. }
            | Self::WeakRsaKey { setting, .. }
            | Self::Key { setting, .. }
            | Self::Io { setting, .. } => setting,
        }
    }

    pub(crate) fn rename_setting(mut self, rename: impl FnOnce(&str) -> String) -> Self {
        let slot = match &mut self {
            Self::Missing { setting }
            | Self::Invalid { setting, .. }
            | Self::WeakSecret { setting, .. }
            | Self::WeakRsaKey { setting, .. }
            | Self::Key { setting, .. }
            | Self::Io { setting, .. } => setting,
        };
        *slot = rename(slot);
        self
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing { setting } => write!(f, "missing setting `{setting}`"),
            Self::Invalid { setting, reason } => write!(f, "invalid setting `{setting}`: {reason}"),
            Self::WeakSecret {
                setting,
                algorithm,
                min_bytes,
                actual_bytes,
            } => write!(
                f,
                "invalid setting `{setting}`: a {algorithm:?} secret needs at least {min_bytes} bytes, \
                 this one has {actual_bytes} (generate one with `openssl rand -base64 48`)"
            ),
            Self::WeakRsaKey { setting, bits } => write!(
                f,
                "invalid setting `{setting}`: RSA keys need at least 2048 bits, this one has {bits}"
            ),
            Self::Key { setting, source } => {
                write!(
                    f,
                    "invalid setting `{setting}`: cannot load the key: {source}"
                )
            }
            Self::Io {
                setting,
                path,
                source,
            } => write!(
                f,
                "invalid setting `{setting}`: cannot read `{path}`: {source}"
            ),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Key { source, .. } => Some(source),
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A function that replaces the response of a refused request (the Flask extensions'
/// `unauthorized_handler` / error-handler hook).
pub type ErrorHandler = Arc<dyn Fn(&AuthError) -> Response + Send + Sync>;

/// A function that says whether a verified token has been revoked (look its `jti` up in
/// a denylist). Called on every request, after verification, cached or not.
pub type RevocationCheck = Arc<dyn Fn(&CurrentToken) -> bool + Send + Sync>;

/// Default lifetime of auth tokens: one hour, as in Flask_PyJWT.
pub const DEFAULT_AUTH_MAX_AGE: Duration = Duration::from_secs(3600);
/// Default lifetime of refresh tokens: seven days, as in Flask_PyJWT.
pub const DEFAULT_REFRESH_MAX_AGE: Duration = Duration::from_secs(604_800);
/// Default upper bound on a token's length, checked before any decoding.
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 8 * 1024;
/// Default number of verified tokens kept in the cache.
pub const DEFAULT_CACHE_CAPACITY: usize = 4096;

/// Builds an [`AuthManager`]. Start with [`AuthManager::builder`].
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
    issuer: Option<String>,
    audience: Option<String>,
    signing_key: Option<Key>,
    verification_keys: Vec<Key>,
    auth_max_age: Duration,
    refresh_max_age: Duration,
    leeway: Duration,
    header_name: String,
    scheme: String,
    cookie_name: String,
    query_parameter: String,
    locations: Vec<TokenLocation>,
    max_token_bytes: usize,
    cache_capacity: usize,
    error_handler: Option<ErrorHandler>,
    revocation: Option<RevocationCheck>,
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
            query_parameter: "access_token".into(),
            locations: vec![TokenLocation::Header],
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
            cache_capacity: DEFAULT_CACHE_CAPACITY,
            error_handler: None,
            revocation: None,
        }
    }
}

impl AuthManagerBuilder {
    /// The issuer (`iss`) stamped on every token and required on every token verified.
    /// Required.
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
    /// one [`verification_key`](Self::verification_key) is given (a verify-only service).
    pub fn signing_key(mut self, key: Key) -> Self {
        self.signing_key = Some(key);
        self
    }

    /// Another key that verifies tokens (key rotation, or a verify-only service). When
    /// more than one key verifies, every key needs a `kid` and tokens are matched to keys
    /// by exact `kid`.
    pub fn verification_key(mut self, key: Key) -> Self {
        self.verification_keys.push(key);
        self
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

    /// Replaces the response of every refused request. The default is RFC 6750: the
    /// status of [`AuthError::status`], a `WWW-Authenticate` header and a JSON body
    /// `{"error", "message"}`.
    pub fn on_error<F>(mut self, handler: F) -> Self
    where
        F: Fn(&AuthError) -> Response + Send + Sync + 'static,
    {
        self.error_handler = Some(Arc::new(handler));
        self
    }

    /// Checks every verified token against a revocation list: return `true` to refuse it
    /// (401 `invalid_token`). Key the list on the token's `jti`, never on the token text
    /// (ECDSA signatures are malleable).
    pub fn is_revoked<F>(mut self, check: F) -> Self
    where
        F: Fn(&CurrentToken) -> bool + Send + Sync + 'static,
    {
        self.revocation = Some(Arc::new(check));
        self
    }

    /// Checks the configuration and builds the manager.
    pub fn build(self) -> Result<AuthManager, ConfigError> {
        let issuer = self.issuer.ok_or_else(|| ConfigError::missing("issuer"))?;
        if issuer.is_empty() {
            return Err(ConfigError::invalid("issuer", "must not be empty"));
        }
        if self.audience.as_deref() == Some("") {
            return Err(ConfigError::invalid("audience", "must not be empty"));
        }
        for (setting, age) in [
            ("auth_max_age", self.auth_max_age),
            ("refresh_max_age", self.refresh_max_age),
        ] {
            if age.as_secs() == 0 {
                return Err(ConfigError::invalid(setting, "must be at least one second"));
            }
        }
        if self.max_token_bytes == 0 {
            return Err(ConfigError::invalid("max_token_bytes", "must be positive"));
        }
        if self.locations.is_empty() {
            return Err(ConfigError::invalid(
                "token_locations",
                "name at least one location",
            ));
        }
        let header_name = HeaderName::try_from(self.header_name.as_str())
            .map_err(|_| ConfigError::invalid("header_name", "not a valid HTTP header name"))?;
        if self.scheme.is_empty() || !self.scheme.bytes().all(is_tchar) {
            return Err(ConfigError::invalid(
                "scheme",
                "must be a non-empty HTTP token such as `Bearer`",
            ));
        }
        for (setting, name) in [
            ("cookie_name", &self.cookie_name),
            ("query_parameter", &self.query_parameter),
        ] {
            if name.is_empty() || !name.bytes().all(is_tchar) {
                return Err(ConfigError::invalid(
                    setting,
                    "must be a non-empty name of letters, digits and `-_.`",
                ));
            }
        }

        let mut keys: Vec<Key> = Vec::new();
        let signer = match self.signing_key {
            Some(key) => {
                let Some(encoding) = key.encoding.clone() else {
                    return Err(ConfigError::invalid(
                        "signing_key",
                        "this key has no private part; pass it to `verification_key` instead",
                    ));
                };
                let signer = Signer {
                    algorithm: key.algorithm,
                    kid: key.kid.clone(),
                    encoding,
                };
                keys.push(key);
                Some(signer)
            }
            None => None,
        };
        keys.extend(self.verification_keys);
        if keys.is_empty() {
            return Err(ConfigError::missing("signing_key"));
        }
        if keys.len() > 1 {
            for key in &keys {
                if key.kid.is_none() {
                    return Err(ConfigError::invalid(
                        "verification_key",
                        "with more than one key, every key needs a `kid` (`Key::with_kid`)",
                    ));
                }
            }
            for (i, key) in keys.iter().enumerate() {
                if keys[..i].iter().any(|k| k.kid == key.kid) {
                    return Err(ConfigError::invalid(
                        "verification_key",
                        format!(
                            "two keys share the kid `{}`",
                            key.kid.as_deref().unwrap_or("")
                        ),
                    ));
                }
            }
        }

        let leeway = self.leeway.as_secs();
        let verifiers = keys.iter().map(Verifier::new).collect();
        let manager = AuthManager {
            inner: Arc::new(Inner {
                issuer,
                audience: self.audience,
                signer,
                verifiers,
                auth_max_age: self.auth_max_age.as_secs(),
                refresh_max_age: self.refresh_max_age.as_secs(),
                leeway,
                sources: TokenSources {
                    header_name,
                    scheme: self.scheme,
                    cookie_name: self.cookie_name,
                    query_parameter: self.query_parameter,
                    default_locations: self.locations,
                },
                max_token_bytes: self.max_token_bytes,
                cache: TokenCache::new(self.cache_capacity),
                error_handler: self.error_handler,
                revocation: self.revocation,
            }),
        };
        manager.self_test()?;
        Ok(manager)
    }
}

/// RFC 9110 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The environment variables [`AuthManager::from_env`] reads.
pub mod env {
    /// The issuer (`iss`). Required.
    pub const ISSUER: &str = "AUTH_ISSUER";
    /// The algorithm: HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512,
    /// ES256, ES384 or EdDSA. Default HS256.
    pub const ALGORITHM: &str = "AUTH_ALGORITHM";
    /// The HMAC secret (HS* only), at least 32/48/64 bytes.
    pub const SECRET: &str = "AUTH_SECRET";
    /// Path to the PEM private key (asymmetric algorithms; omit for a verify-only service).
    pub const PRIVATE_KEY_FILE: &str = "AUTH_PRIVATE_KEY_FILE";
    /// Path to the PEM public key (asymmetric algorithms). Required for them.
    pub const PUBLIC_KEY_FILE: &str = "AUTH_PUBLIC_KEY_FILE";
    /// Lifetime of auth tokens in seconds. Default 3600.
    pub const AUTH_MAX_AGE: &str = "AUTH_AUTH_MAX_AGE";
    /// Lifetime of refresh tokens in seconds. Default 604800.
    pub const REFRESH_MAX_AGE: &str = "AUTH_REFRESH_MAX_AGE";
    /// Clock skew tolerated, in seconds. Default 0.
    pub const LEEWAY: &str = "AUTH_LEEWAY";
    /// The audience (`aud`). Default: none, and tokens carrying one are refused.
    pub const AUDIENCE: &str = "AUTH_AUDIENCE";
}

impl AuthManagerBuilder {
    /// A builder filled from environment variables (see [`env`](mod@env)), for further settings
    /// before [`build`](Self::build).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_env_with(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup` (for tests,
    /// or a configuration source of your own).
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let seconds = |name: &'static str, default: Duration| -> Result<Duration, ConfigError> {
            match var(name) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<u64>()
                    .map(Duration::from_secs)
                    .map_err(|_| {
                        ConfigError::invalid(
                            name,
                            format!("`{v}` is not a whole number of seconds"),
                        )
                    }),
            }
        };
        let issuer = var(env::ISSUER).ok_or_else(|| ConfigError::missing(env::ISSUER))?;
        let algorithm = match var(env::ALGORITHM) {
            None => Algorithm::HS256,
            Some(name) => parse_algorithm(&name).ok_or_else(|| {
                ConfigError::invalid(
                    env::ALGORITHM,
                    format!(
                        "unknown algorithm `{name}`; expected one of HS256, HS384, HS512, RS256, \
                         RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA"
                    ),
                )
            })?,
        };
        let relabel = |e| Key::relabel(e, env::SECRET, env::PRIVATE_KEY_FILE, env::PUBLIC_KEY_FILE);
        let mut builder = AuthManagerBuilder::default()
            .issuer(issuer)
            .auth_max_age(seconds(env::AUTH_MAX_AGE, DEFAULT_AUTH_MAX_AGE)?)
            .refresh_max_age(seconds(env::REFRESH_MAX_AGE, DEFAULT_REFRESH_MAX_AGE)?)
            .leeway(seconds(env::LEEWAY, Duration::ZERO)?);
        if let Some(audience) = var(env::AUDIENCE) {
            builder = builder.audience(audience);
        }
        let is_hmac = matches!(
            algorithm,
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512
        );
        if is_hmac {
            let secret = var(env::SECRET).ok_or_else(|| ConfigError::missing(env::SECRET))?;
            Ok(builder.signing_key(Key::hmac(algorithm, secret).map_err(relabel)?))
        } else {
            let read = |name: &'static str| -> Result<Option<Vec<u8>>, ConfigError> {
                let Some(path) = var(name) else {
                    return Ok(None);
                };
                std::fs::read(&path)
                    .map(Some)
                    .map_err(|source| ConfigError::Io {
                        setting: name.to_owned(),
                        path,
                        source,
                    })
            };
            let public = read(env::PUBLIC_KEY_FILE)?
                .ok_or_else(|| ConfigError::missing(env::PUBLIC_KEY_FILE))?;
            Ok(match read(env::PRIVATE_KEY_FILE)? {
                Some(private) => {
                    builder.signing_key(Key::from_pem(algorithm, private, public).map_err(relabel)?)
                }
                None => builder
                    .verification_key(Key::verifying_pem(algorithm, public).map_err(relabel)?),
            })
        }
    }
}

/// Parses an algorithm name exactly as JOSE spells it.
pub(crate) fn parse_algorithm(name: &str) -> Option<Algorithm> {
    use Algorithm::*;
    Some(match name {
        "HS256" => HS256,
        "HS384" => HS384,
        "HS512" => HS512,
        "RS256" => RS256,
        "RS384" => RS384,
        "RS512" => RS512,
        "PS256" => PS256,
        "PS384" => PS384,
        "PS512" => PS512,
        "ES256" => ES256,
        "ES384" => ES384,
        "EdDSA" => EdDSA,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn env_error(vars: &[(&str, &str)]) -> ConfigError {
        match AuthManagerBuilder::from_env_with(env_of(vars)).and_then(|b| b.build()) {
            Ok(_) => panic!("expected a configuration error for {vars:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn from_env_builds_an_hs256_manager() {
        let manager = AuthManagerBuilder::from_env_with(env_of(&[
            ("AUTH_ISSUER", "svc"),
            ("AUTH_SECRET", SECRET),
            ("AUTH_AUTH_MAX_AGE", "60"),
        ]))
        .and_then(|b| b.build())
        .expect("valid configuration");
        assert_eq!(manager.issuer(), "svc");
        assert_eq!(manager.auth_max_age(), Duration::from_secs(60));
        assert_eq!(manager.refresh_max_age(), DEFAULT_REFRESH_MAX_AGE);
    }

    #[test]
    fn each_missing_or_bad_variable_is_named() {
        assert_eq!(
            env_error(&[("AUTH_SECRET", SECRET)]).setting(),
            "AUTH_ISSUER"
        );
        assert_eq!(
            env_error(&[("AUTH_ISSUER", "svc")]).setting(),
            "AUTH_SECRET"
        );
        let weak = env_error(&[("AUTH_ISSUER", "svc"), ("AUTH_SECRET", "short")]);
        assert!(matches!(weak, ConfigError::WeakSecret { .. }), "{weak:?}");
        assert_eq!(weak.setting(), "AUTH_SECRET");
        let alg = env_error(&[("AUTH_ISSUER", "svc"), ("AUTH_ALGORITHM", "none")]);
        assert_eq!(alg.setting(), "AUTH_ALGORITHM");
        assert!(
            alg.to_string().contains("unknown algorithm `none`"),
            "{alg}"
        );
        let age = env_error(&[
            ("AUTH_ISSUER", "svc"),
            ("AUTH_SECRET", SECRET),
            ("AUTH_LEEWAY", "ten"),
        ]);
        assert_eq!(age.setting(), "AUTH_LEEWAY");
        let zero = env_error(&[
            ("AUTH_ISSUER", "svc"),
            ("AUTH_SECRET", SECRET),
            ("AUTH_REFRESH_MAX_AGE", "0"),
        ]);
        assert_eq!(zero.setting(), "refresh_max_age");
        let public = env_error(&[("AUTH_ISSUER", "svc"), ("AUTH_ALGORITHM", "RS256")]);
        assert_eq!(public.setting(), "AUTH_PUBLIC_KEY_FILE");
        let file = env_error(&[
            ("AUTH_ISSUER", "svc"),
            ("AUTH_ALGORITHM", "ES256"),
            ("AUTH_PUBLIC_KEY_FILE", "/nonexistent/key.pem"),
        ]);
        assert!(matches!(file, ConfigError::Io { .. }), "{file:?}");
        assert_eq!(file.setting(), "AUTH_PUBLIC_KEY_FILE");
    }

    #[test]
    fn builder_settings_are_checked() {
        let key = || Key::hmac(Algorithm::HS256, SECRET).unwrap();
        let err = |b: AuthManagerBuilder| b.build().expect_err("expected an error");
        assert_eq!(
            err(AuthManagerBuilder::default().signing_key(key())).setting(),
            "issuer"
        );
        assert_eq!(
            err(AuthManagerBuilder::default().issuer("x")).setting(),
            "signing_key"
        );
        let base = || AuthManagerBuilder::default().issuer("x").signing_key(key());
        assert_eq!(
            err(base().header_name("bad header")).setting(),
            "header_name"
        );
        assert_eq!(err(base().scheme("")).setting(), "scheme");
        assert_eq!(err(base().cookie_name("a;b")).setting(), "cookie_name");
        assert_eq!(err(base().token_locations([])).setting(), "token_locations");
        assert_eq!(err(base().audience("")).setting(), "audience");
        // Two keys without kids cannot be told apart.
        assert_eq!(
            err(base().verification_key(key())).setting(),
            "verification_key"
        );
        // Two keys with one kid cannot either.
        let dup = AuthManagerBuilder::default()
            .issuer("x")
            .signing_key(key().with_kid("a"))
            .verification_key(key().with_kid("a"));
        assert!(err(dup).to_string().contains("share the kid"));
        assert!(
            base()
                .verification_key(key().with_kid("old"))
                .build()
                .is_err()
        );
        assert!(
            AuthManagerBuilder::default()
                .issuer("x")
                .signing_key(key().with_kid("new"))
                .verification_key(key().with_kid("old"))
                .build()
                .is_ok()
        );
    }
}
