//! What `build()` checks: every setting of an [`AuthManagerBuilder`], turned into the
//! [`Settings`] the manager assembles itself from. Each error names its setting.

use std::time::Duration;

use super::{AuthManagerBuilder, ConfigError, DEFAULT_STORE_BUDGET};
use crate::{
    credential::TokenLoader,
    error::ErrorHandler,
    policy::csrf::{CsrfPolicy, parse_origin},
    store::{MemoryStore, Store},
    token::{Key, Lifetimes, RevocationCheck, TokenSources, Trust},
};

impl AuthManagerBuilder {
    /// Checks every setting and hands the manager what it assembles itself from.
    pub(crate) fn into_settings(self) -> Result<Settings, ConfigError> {
        #[cfg(feature = "jwks")]
        let providers = self
            .providers
            .iter()
            .map(Trust::provider)
            .collect::<Result<Vec<_>, _>>()?;
        #[cfg(not(feature = "jwks"))]
        let providers: Vec<Trust> = Vec::new();
        let has_own_keys = self.signing_key.is_some() || !self.verification_keys.is_empty();
        let issuer = match (self.issuer, providers.first()) {
            (Some(issuer), _) if issuer.is_empty() => {
                return Err(ConfigError::invalid("issuer", "must not be empty"));
            }
            (Some(_), Some(_)) if !has_own_keys => {
                return Err(ConfigError::invalid(
                    "issuer",
                    "no key of this service verifies this issuer's tokens: add a `signing_key` \
                     or `verification_key`, or trust the issuer as a `provider` only",
                ));
            }
            (Some(issuer), _) => issuer,
            // A verify-only service that trusts providers only.
            (None, Some(first)) if !has_own_keys => first.issuer.clone(),
            (None, _) => return Err(ConfigError::missing("issuer")),
        };
        let mut issuers: Vec<&str> = providers.iter().map(|p| p.issuer.as_str()).collect();
        if has_own_keys {
            issuers.push(&issuer);
        }
        if let Some(twice) = issuers
            .iter()
            .enumerate()
            .find_map(|(i, a)| issuers[i + 1..].contains(a).then_some(*a))
        {
            return Err(ConfigError::invalid(
                "provider",
                format!("the issuer `{twice}` is trusted twice; each issuer has one key source"),
            ));
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
        if self.store_budget.is_zero() {
            return Err(ConfigError::invalid("store_budget", "must be positive"));
        }
        if self.max_token_bytes == 0 {
            return Err(ConfigError::invalid("max_token_bytes", "must be positive"));
        }
        let sources = TokenSources::new(
            &self.header_name,
            self.scheme,
            self.cookie_name,
            self.refresh_cookie_name,
            self.query_parameter,
            self.locations,
            &self.api_key_header,
        )?;
        let trusted = self
            .trusted_origins
            .iter()
            .map(|origin| {
                parse_origin(origin).ok_or_else(|| {
                    ConfigError::invalid(
                        "trusted_origins",
                        format!("`{origin}` is not an origin such as `https://app.example.com`"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let signing_key = match self.signing_key {
            Some(key) if !key.can_sign() => {
                return Err(ConfigError::invalid(
                    "signing_key",
                    "this key has no private part; pass it to `verification_key` instead",
                ));
            }
            other => other,
        };
        let keys: Vec<Key> = signing_key
            .iter()
            .cloned()
            .chain(self.verification_keys)
            .collect();
        if keys.is_empty() && providers.is_empty() {
            return Err(ConfigError::missing("signing_key"));
        }
        Key::check_set(&keys, "verification_key")?;
        Ok(Settings {
            issuer,
            audience: self.audience,
            signing_key,
            keys,
            lifetimes: Lifetimes {
                auth: self.auth_max_age.as_secs(),
                refresh: self.refresh_max_age.as_secs(),
            },
            leeway: self.leeway.as_secs(),
            sources,
            max_token_bytes: self.max_token_bytes,
            cache_capacity: self.cache_capacity,
            error_handler: self.error_handler,
            revocation: self.revocation,
            store: self
                .store
                .unwrap_or_else(|| Store::new(MemoryStore::new(), DEFAULT_STORE_BUDGET))
                .with_budget(self.store_budget),
            token_loader: self.token_loader,
            refresh_grace: self.refresh_grace,
            fail_open: self.fail_open,
            csrf: CsrfPolicy::new(self.csrf, trusted),
            cookie_secure: self.cookie_secure,
            trace_subject: self.trace_subject,
            providers,
        })
    }
}

/// A checked configuration: what [`AuthManager`](crate::AuthManager) assembles itself
/// from.
pub(crate) struct Settings {
    pub(crate) issuer: String,
    pub(crate) audience: Option<String>,
    /// The key that signs, if any; it is also the first of `keys`.
    pub(crate) signing_key: Option<Key>,
    /// Every verification key of this service's own issuer, with distinct `kid`s where
    /// there are several; none for a service that trusts providers only.
    pub(crate) keys: Vec<Key>,
    pub(crate) lifetimes: Lifetimes,
    pub(crate) leeway: u64,
    pub(crate) sources: TokenSources,
    pub(crate) max_token_bytes: usize,
    pub(crate) cache_capacity: usize,
    pub(crate) error_handler: Option<ErrorHandler>,
    pub(crate) revocation: Option<RevocationCheck>,
    pub(crate) store: Store,
    /// The application's loader of opaque tokens; `None`: the store.
    pub(crate) token_loader: Option<TokenLoader>,
    pub(crate) refresh_grace: Duration,
    /// Accept signed tokens when the store cannot answer a revocation check.
    pub(crate) fail_open: bool,
    pub(crate) csrf: CsrfPolicy,
    pub(crate) cookie_secure: bool,
    pub(crate) trace_subject: bool,
    /// The trusted identity providers, each with its own issuer.
    pub(crate) providers: Vec<Trust>,
}

#[cfg(test)]
mod tests {
    use jsonwebtoken::Algorithm;

    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

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
        // Two keys without kids and of one algorithm cannot be told apart.
        assert_eq!(
            err(base().verification_key(key())).setting(),
            "verification_key"
        );
        // Keys without kids of different algorithms can: the token's `alg` picks one.
        let secret = [5u8; 64];
        assert!(
            AuthManagerBuilder::default()
                .issuer("x")
                .signing_key(Key::hmac(Algorithm::HS256, secret).unwrap())
                .verification_key(Key::hmac(Algorithm::HS512, secret).unwrap())
                .build()
                .is_ok()
        );
        // Some keys with a kid and some without are refused.
        assert_eq!(
            err(base()
                .verification_key(Key::hmac(Algorithm::HS512, secret).unwrap().with_kid("old")))
            .setting(),
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
