//! The environment variables [`AuthManager::from_env`](crate::AuthManager::from_env)
//! reads, and the reader behind it
//! ([`AuthManagerBuilder::from_env`](super::AuthManagerBuilder::from_env)).

use std::time::Duration;

use jsonwebtoken::Algorithm;

use super::{AuthManagerBuilder, ConfigError, DEFAULT_AUTH_MAX_AGE, DEFAULT_REFRESH_MAX_AGE};
use crate::token::Key;

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
/// The Redis that keeps revocations and refresh families
/// (`redis://[:password@]host:port/db`), shared by every instance. Needs the `redis`
/// feature. Default: none, and a [`MemoryStore`](crate::store::MemoryStore) of this
/// process keeps them.
pub const REDIS_URL: &str = "AUTH_REDIS_URL";
/// The refresh rotation's grace window in seconds. Default 10.
pub const REFRESH_GRACE: &str = "AUTH_REFRESH_GRACE";
/// A verify-only service trusting an identity provider whose keys are the JWKS document
/// at this URL; [`ISSUER`] is the `iss` its tokens carry. Needs the `jwks` feature.
/// [`AUDIENCE`] and [`LEEWAY`] apply to the provider's tokens; no key of the service's
/// own is read.
pub const JWKS_URL: &str = "AUTH_JWKS_URL";
/// A verify-only service trusting this OpenID Connect issuer: its discovery document
/// names the JWKS, and its tokens carry it as `iss` ([`ISSUER`], if set, must equal it).
/// Needs the `jwks` feature. Not together with [`JWKS_URL`].
pub const OIDC_ISSUER: &str = "AUTH_OIDC_ISSUER";

impl AuthManagerBuilder {
    /// A builder filled from environment variables (see [`env`](mod@self)), for further settings
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
        if var(JWKS_URL).is_some() || var(OIDC_ISSUER).is_some() {
            return provider_from_env(&var, seconds(LEEWAY, Duration::ZERO)?);
        }
        let issuer = var(ISSUER).ok_or_else(|| ConfigError::missing(ISSUER))?;
        let algorithm = match var(ALGORITHM) {
            None => Algorithm::HS256,
            Some(name) => parse_algorithm(&name).ok_or_else(|| {
                ConfigError::invalid(
                    ALGORITHM,
                    format!(
                        "unknown algorithm `{name}`; expected one of HS256, HS384, HS512, RS256, \
                         RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA"
                    ),
                )
            })?,
        };
        let relabel = |e| Key::relabel(e, SECRET, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE);
        let mut builder = AuthManagerBuilder::default()
            .issuer(issuer)
            .auth_max_age(seconds(AUTH_MAX_AGE, DEFAULT_AUTH_MAX_AGE)?)
            .refresh_max_age(seconds(REFRESH_MAX_AGE, DEFAULT_REFRESH_MAX_AGE)?)
            .leeway(seconds(LEEWAY, Duration::ZERO)?);
        if let Some(audience) = var(AUDIENCE) {
            builder = builder.audience(audience);
        }
        builder = builder.refresh_grace(seconds(REFRESH_GRACE, super::DEFAULT_REFRESH_GRACE)?);
        if let Some(url) = var(REDIS_URL) {
            builder = with_redis(builder, &url)?;
        }
        let is_hmac = matches!(
            algorithm,
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512
        );
        if is_hmac {
            let secret = var(SECRET).ok_or_else(|| ConfigError::missing(SECRET))?;
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
            let public =
                read(PUBLIC_KEY_FILE)?.ok_or_else(|| ConfigError::missing(PUBLIC_KEY_FILE))?;
            Ok(match read(PRIVATE_KEY_FILE)? {
                Some(private) => {
                    builder.signing_key(Key::from_pem(algorithm, private, public).map_err(relabel)?)
                }
                None => builder
                    .verification_key(Key::verifying_pem(algorithm, public).map_err(relabel)?),
            })
        }
    }
}

#[cfg(feature = "redis")]
fn with_redis(builder: AuthManagerBuilder, url: &str) -> Result<AuthManagerBuilder, ConfigError> {
    let store = crate::store::RedisStore::new(url)
        .map_err(|e| e.rename_setting(|_| REDIS_URL.to_owned()))?;
    Ok(builder.store(store))
}

#[cfg(not(feature = "redis"))]
fn with_redis(_: AuthManagerBuilder, _: &str) -> Result<AuthManagerBuilder, ConfigError> {
    Err(ConfigError::invalid(
        REDIS_URL,
        "this build has no Redis support: enable the `redis` feature of auth-runtime",
    ))
}

/// A verify-only builder trusting the provider of [`JWKS_URL`] or [`OIDC_ISSUER`].
#[cfg(feature = "jwks")]
fn provider_from_env(
    var: &dyn Fn(&str) -> Option<String>,
    leeway: Duration,
) -> Result<AuthManagerBuilder, ConfigError> {
    use crate::token::jwks::{Provider, check_url};
    let provider = match (var(JWKS_URL), var(OIDC_ISSUER)) {
        (Some(_), Some(_)) => {
            return Err(ConfigError::invalid(
                JWKS_URL,
                format!("set `{JWKS_URL}` or `{OIDC_ISSUER}`, not both"),
            ));
        }
        (Some(url), None) => {
            check_url(JWKS_URL, &url)?;
            Provider::jwks(
                var(ISSUER).ok_or_else(|| ConfigError::missing(ISSUER))?,
                url,
            )
        }
        (None, issuer) => {
            let issuer = issuer.ok_or_else(|| ConfigError::missing(OIDC_ISSUER))?;
            check_url(OIDC_ISSUER, &issuer)?;
            if var(ISSUER).is_some_and(|iss| iss != issuer) {
                return Err(ConfigError::invalid(
                    ISSUER,
                    format!(
                        "with `{OIDC_ISSUER}`, the issuer is the OIDC issuer itself: leave it unset or equal"
                    ),
                ));
            }
            Provider::oidc(issuer)
        }
    };
    let provider = match var(AUDIENCE) {
        Some(audience) => provider.audience(audience),
        None => provider,
    };
    Ok(AuthManagerBuilder::default().provider(provider.leeway(leeway)))
}

#[cfg(not(feature = "jwks"))]
fn provider_from_env(
    var: &dyn Fn(&str) -> Option<String>,
    _: Duration,
) -> Result<AuthManagerBuilder, ConfigError> {
    let setting = if var(JWKS_URL).is_some() {
        JWKS_URL
    } else {
        OIDC_ISSUER
    };
    Err(ConfigError::invalid(
        setting,
        "this build cannot fetch keys: enable the `jwks` feature of auth-runtime",
    ))
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
}
