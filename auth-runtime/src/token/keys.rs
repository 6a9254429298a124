//! Keys: an algorithm pinned to key material, checked for strength when it is built.
//!
//! A [`Key`] is one algorithm and one key (RFC 8725 §3.1: the algorithm is never read
//! from the token). HMAC secrets shorter than the hash (32/48/64 bytes for
//! HS256/384/512, RFC 7518 §3.2) and RSA keys under 2048 bits (RFC 7518 §3.3) are refused
//! here, at start-up, with a [`ConfigError`] that names the setting.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};

use std::collections::HashSet;

use super::der;
use crate::config::ConfigError;

/// One algorithm with its key material: what signs tokens, what verifies them, or both.
///
/// ```
/// use auth_runtime::{Algorithm, Key};
///
/// let key = Key::hmac(Algorithm::HS256, b"a-secret-of-at-least-thirty-two-bytes!")?.with_kid("2026-11");
/// assert_eq!(key.algorithm(), Algorithm::HS256);
/// assert!(key.can_sign());
///
/// // Too short for HS256: refused when built, not at the first request.
/// assert!(Key::hmac(Algorithm::HS256, b"secret").is_err());
/// # Ok::<(), auth_runtime::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct Key {
    pub(crate) algorithm: Algorithm,
    pub(crate) kid: Option<String>,
    pub(crate) encoding: Option<EncodingKey>,
    pub(crate) decoding: DecodingKey,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.debug_struct("Key")
            .field("algorithm", &self.algorithm)
            .field("kid", &self.kid)
            .field("can_sign", &self.encoding.is_some())
            .finish_non_exhaustive()
    }
}

/// The settings named in key errors when a key is built through the builder.
const SECRET_SETTING: &str = "secret";
const PRIVATE_SETTING: &str = "private key";
const PUBLIC_SETTING: &str = "public key";

impl Key {
    /// An HMAC key (HS256, HS384, HS512) that signs and verifies.
    ///
    /// The secret must be at least as long as the hash output: 32, 48 or 64 bytes.
    pub fn hmac(algorithm: Algorithm, secret: impl AsRef<[u8]>) -> Result<Self, ConfigError> {
        let secret = secret.as_ref();
        let min = match algorithm {
            Algorithm::HS256 => 32,
            Algorithm::HS384 => 48,
            Algorithm::HS512 => 64,
            other => {
                return Err(ConfigError::invalid(
                    SECRET_SETTING,
                    format!("{other:?} is not an HMAC algorithm; use `Key::from_pem`"),
                ));
            }
        };
        if secret.len() < min {
            return Err(ConfigError::WeakSecret {
                setting: SECRET_SETTING.into(),
                algorithm,
                min_bytes: min,
                actual_bytes: secret.len(),
            });
        }
        Ok(Self {
            algorithm,
            kid: None,
            encoding: Some(EncodingKey::from_secret(secret)),
            decoding: DecodingKey::from_secret(secret),
        })
    }

    /// An asymmetric key pair from PEM (RS*, PS*, ES256, ES384, EdDSA): signs and verifies.
    pub fn from_pem(
        algorithm: Algorithm,
        private_pem: impl AsRef<[u8]>,
        public_pem: impl AsRef<[u8]>,
    ) -> Result<Self, ConfigError> {
        let mut key = Self::verifying_pem(algorithm, public_pem)?;
        key.encoding = Some(encoding_from_pem(algorithm, private_pem.as_ref())?);
        Ok(key)
    }

    /// A verification-only public key from PEM (RS*, PS*, ES256, ES384, EdDSA), for a
    /// service that checks tokens another service issues, or for a retired key that
    /// tokens in circulation still name.
    pub fn verifying_pem(
        algorithm: Algorithm,
        public_pem: impl AsRef<[u8]>,
    ) -> Result<Self, ConfigError> {
        let pem = public_pem.as_ref();
        let family = Family::of(algorithm).ok_or_else(|| {
            ConfigError::invalid(
                PUBLIC_SETTING,
                format!("{algorithm:?} is an HMAC algorithm; use `Key::hmac`"),
            )
        })?;
        let der = pem_body(PUBLIC_SETTING, pem)?;
        let decoding = match family {
            Family::Rsa => {
                check_rsa_bits(PUBLIC_SETTING, &der)?;
                DecodingKey::from_rsa_pem(pem)
            }
            Family::Ec => {
                check_curve(PUBLIC_SETTING, algorithm, &der)?;
                DecodingKey::from_ec_pem(pem)
            }
            Family::Ed => DecodingKey::from_ed_pem(pem),
        }
        .map_err(|e| ConfigError::key(PUBLIC_SETTING, e))?;
        Ok(Self {
            algorithm,
            kid: None,
            encoding: None,
            decoding,
        })
    }

    /// Names this key with a `kid`: tokens it signs carry it, and tokens that carry it
    /// are verified with it (exact match only, never a file or URL lookup).
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// The algorithm this key is pinned to.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The key id, if any.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// Whether this key holds private material and can sign tokens.
    pub fn can_sign(&self) -> bool {
        self.encoding.is_some()
    }

    /// Relabels a key error with the name of the setting the key came from.
    pub(crate) fn relabel(
        err: ConfigError,
        secret: &str,
        private: &str,
        public: &str,
    ) -> ConfigError {
        err.rename_setting(|s| match s {
            SECRET_SETTING => secret.to_owned(),
            PRIVATE_SETTING => private.to_owned(),
            PUBLIC_SETTING => public.to_owned(),
            other => other.to_owned(),
        })
    }
}

impl Key {
    /// Checks keys that verify side by side: with more than one, every key needs a `kid`
    /// and no two may share one, so a token's `kid` picks exactly one key.
    pub(crate) fn check_set(keys: &[Key], setting: &'static str) -> Result<(), ConfigError> {
        if keys.len() < 2 {
            return Ok(());
        }
        let mut seen = HashSet::new();
        for key in keys {
            let Some(kid) = key.kid.as_deref() else {
                return Err(ConfigError::invalid(
                    setting,
                    "with more than one key, every key needs a `kid` (`Key::with_kid`)",
                ));
            };
            if !seen.insert(kid) {
                return Err(ConfigError::invalid(
                    setting,
                    format!("two keys share the kid `{kid}`"),
                ));
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum Family {
    Rsa,
    Ec,
    Ed,
}

impl Family {
    fn of(algorithm: Algorithm) -> Option<Self> {
        use Algorithm::*;
        match algorithm {
            RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => Some(Self::Rsa),
            ES256 | ES384 => Some(Self::Ec),
            EdDSA => Some(Self::Ed),
            _ => None,
        }
    }
}

fn encoding_from_pem(algorithm: Algorithm, pem: &[u8]) -> Result<EncodingKey, ConfigError> {
    let der = pem_body(PRIVATE_SETTING, pem)?;
    let key = match Family::of(algorithm) {
        Some(Family::Rsa) => {
            check_rsa_bits(PRIVATE_SETTING, &der)?;
            EncodingKey::from_rsa_pem(pem)
        }
        Some(Family::Ec) => {
            check_curve(PRIVATE_SETTING, algorithm, &der)?;
            EncodingKey::from_ec_pem(pem)
        }
        Some(Family::Ed) => EncodingKey::from_ed_pem(pem),
        None => {
            return Err(ConfigError::invalid(
                PRIVATE_SETTING,
                format!("{algorithm:?} is an HMAC algorithm; use `Key::hmac`"),
            ));
        }
    };
    key.map_err(|e| ConfigError::key(PRIVATE_SETTING, e))
}

fn pem_body(setting: &'static str, pem: &[u8]) -> Result<Vec<u8>, ConfigError> {
    pem::parse(pem)
        .map(|p| p.into_contents())
        .map_err(|e| ConfigError::invalid(setting, format!("not a PEM file: {e}")))
}

/// Refuses RSA keys whose modulus is under 2048 bits (RFC 7518 §3.3).
fn check_rsa_bits(setting: &'static str, der: &[u8]) -> Result<(), ConfigError> {
    let bits = der::rsa_modulus_bits(der).ok_or_else(|| {
        ConfigError::invalid(setting, "not an RSA key (no modulus found)".to_owned())
    })?;
    if bits < 2048 {
        return Err(ConfigError::WeakRsaKey {
            setting: setting.into(),
            bits,
        });
    }
    Ok(())
}

/// Refuses an EC key on another curve than the algorithm's (P-256 for ES256, P-384 for
/// ES384), which jsonwebtoken would otherwise only discover at the first request.
fn check_curve(setting: &'static str, algorithm: Algorithm, der: &[u8]) -> Result<(), ConfigError> {
    const P256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    const P384: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22];
    let (oid, curve) = match algorithm {
        Algorithm::ES256 => (P256, "P-256"),
        _ => (P384, "P-384"),
    };
    if der.windows(oid.len()).any(|w| w == oid) {
        Ok(())
    } else {
        Err(ConfigError::invalid(
            setting,
            format!("{algorithm:?} needs a {curve} key"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_secrets_must_be_as_long_as_the_hash() {
        for (alg, min) in [
            (Algorithm::HS256, 32),
            (Algorithm::HS384, 48),
            (Algorithm::HS512, 64),
        ] {
            let short = vec![7u8; min - 1];
            match Key::hmac(alg, &short) {
                Err(ConfigError::WeakSecret {
                    min_bytes,
                    actual_bytes,
                    ..
                }) => {
                    assert_eq!((min_bytes, actual_bytes), (min, min - 1));
                }
                other => panic!("{alg:?}: expected WeakSecret, got {other:?}"),
            }
            assert!(Key::hmac(alg, vec![7u8; min]).is_ok());
        }
        assert!(Key::hmac(Algorithm::HS256, b"").is_err());
    }

    #[test]
    fn an_hmac_key_cannot_be_built_from_an_asymmetric_algorithm() {
        let err = Key::hmac(Algorithm::RS256, [0u8; 64]).unwrap_err();
        assert!(err.to_string().contains("not an HMAC algorithm"), "{err}");
        let err = Key::verifying_pem(Algorithm::HS256, "x").unwrap_err();
        assert!(err.to_string().contains("HMAC algorithm"), "{err}");
    }

    #[test]
    fn debug_never_prints_key_material() {
        let key = Key::hmac(Algorithm::HS256, "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t").unwrap();
        let text = format!("{key:?}");
        assert!(!text.contains("s3cr3t"), "{text}");
    }
}
