//! Keys: an algorithm pinned to key material, checked for strength when it is built.
//!
//! A [`Key`] is one algorithm and one key (RFC 8725 §3.1: the algorithm is never read
//! from the token). HMAC secrets shorter than the hash (32/48/64 bytes for
//! HS256/384/512, RFC 7518 §3.2) and RSA keys under 2048 bits (RFC 7518 §3.3) are refused
//! here, at start-up, with a [`ConfigError`] that names the setting.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};

use std::{collections::HashSet, sync::Arc};

use super::{
    key_file::{self, Family},
    signature::PreparedKey,
};
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
    /// The verifying half, prepared once (parsed public key or HMAC key schedule).
    pub(crate) prepared: Arc<PreparedKey>,
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
        let decoding = DecodingKey::from_secret(secret);
        Ok(Self {
            algorithm,
            kid: None,
            encoding: Some(EncodingKey::from_secret(secret)),
            prepared: prepare(algorithm, &decoding, true, SECRET_SETTING)?,
            decoding,
        })
    }

    /// An asymmetric key pair from PEM (RS*, PS*, ES256, ES384, EdDSA): signs and verifies.
    ///
    /// The private key may be PKCS#8 (`BEGIN PRIVATE KEY`, what `openssl genpkey`
    /// writes), PKCS#1 for RSA (`BEGIN RSA PRIVATE KEY`) or SEC1 for EC
    /// (`BEGIN EC PRIVATE KEY`, what `openssl ecparam -genkey` writes). The pair is
    /// checked to match: a private key that does not belong to the public key is an
    /// error here, naming the private key.
    ///
    /// With ES256 and ES384 the key writes, and then accepts, only low-S signatures
    /// (`s ≤ n/2`), so each token it signs has one text; a token signed with the same
    /// private key by other code must be in that form too.
    pub fn from_pem(
        algorithm: Algorithm,
        private_pem: impl AsRef<[u8]>,
        public_pem: impl AsRef<[u8]>,
    ) -> Result<Self, ConfigError> {
        let mut key = Self::verifying_pem(algorithm, public_pem)?;
        let family = family(algorithm, PRIVATE_SETTING)?;
        let pem = key_file::private_pem(PRIVATE_SETTING, algorithm, family, private_pem.as_ref())?;
        let encoding = match family {
            Family::Rsa => EncodingKey::from_rsa_pem(pem.as_bytes()),
            Family::Ec => EncodingKey::from_ec_pem(pem.as_bytes()),
            Family::Ed => EncodingKey::from_ed_pem(pem.as_bytes()),
        }
        .map_err(|e| ConfigError::key(PRIVATE_SETTING, e))?;
        check_pair(algorithm, &encoding, &key.decoding)?;
        key.encoding = Some(encoding);
        // A key that signs refuses the ECDSA signatures this service never writes.
        key.prepared = prepare(algorithm, &key.decoding, true, PUBLIC_SETTING)?;
        Ok(key)
    }

    /// A verification-only public key from PEM (RS*, PS*, ES256, ES384, EdDSA), for a
    /// service that checks tokens another service issues, or for a retired key that
    /// tokens in circulation still name. `BEGIN PUBLIC KEY` (SPKI, what
    /// `openssl pkey -pubout` writes), or `BEGIN RSA PUBLIC KEY` for RSA. An ECDSA
    /// key that only verifies accepts both forms of a signature (`s` and `n − s`), as
    /// most signers write either.
    pub fn verifying_pem(
        algorithm: Algorithm,
        public_pem: impl AsRef<[u8]>,
    ) -> Result<Self, ConfigError> {
        let family = family(algorithm, PUBLIC_SETTING)?;
        let pem = key_file::public_pem(PUBLIC_SETTING, algorithm, family, public_pem.as_ref())?;
        let decoding = match family {
            Family::Rsa => DecodingKey::from_rsa_pem(pem.as_bytes()),
            Family::Ec => DecodingKey::from_ec_pem(pem.as_bytes()),
            Family::Ed => DecodingKey::from_ed_pem(pem.as_bytes()),
        }
        .map_err(|e| ConfigError::key(PUBLIC_SETTING, e))?;
        Ok(Self {
            algorithm,
            kid: None,
            encoding: None,
            prepared: prepare(algorithm, &decoding, false, PUBLIC_SETTING)?,
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
    /// Checks keys that verify side by side, so that a token's header picks at most one:
    /// either every key has a `kid`, no two the same (a token's `kid` is an exact
    /// lookup), or no key has one and no two share an algorithm (a token's `alg` picks the
    /// key pinned to it: one HMAC secret for HS256 and HS512, say).
    pub(crate) fn check_set(keys: &[Key], setting: &'static str) -> Result<(), ConfigError> {
        if keys.len() < 2 {
            return Ok(());
        }
        let named = keys.iter().filter(|k| k.kid.is_some()).count();
        if named != 0 && named != keys.len() {
            return Err(ConfigError::invalid(
                setting,
                "some keys have a `kid` and some do not: give every key one (`Key::with_kid`), \
                 or none when their algorithms differ",
            ));
        }
        let mut kids = HashSet::new();
        let mut algorithms = HashSet::new();
        for key in keys {
            match key.kid.as_deref() {
                Some(kid) if !kids.insert(kid) => {
                    return Err(ConfigError::invalid(
                        setting,
                        format!("two keys share the kid `{kid}`"),
                    ));
                }
                None if !algorithms.insert(key.algorithm) => {
                    return Err(ConfigError::invalid(
                        setting,
                        format!(
                            "two keys without a `kid` both verify {:?}: a token could not tell \
                             them apart; give every key a `kid` (`Key::with_kid`)",
                            key.algorithm
                        ),
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The key family of an asymmetric algorithm; an HMAC algorithm is an error on `setting`.
fn family(algorithm: Algorithm, setting: &'static str) -> Result<Family, ConfigError> {
    Family::of(algorithm).ok_or_else(|| {
        ConfigError::invalid(
            setting,
            format!("{algorithm:?} is an HMAC algorithm; use `Key::hmac`"),
        )
    })
}

/// The verifying half of a key, prepared once; an unusable key is an error on `setting`.
fn prepare(
    algorithm: Algorithm,
    decoding: &DecodingKey,
    signs: bool,
    setting: &'static str,
) -> Result<Arc<PreparedKey>, ConfigError> {
    PreparedKey::new(algorithm, decoding, signs)
        .map(Arc::new)
        .map_err(|kind| ConfigError::key(setting, kind.into()))
}

/// Signs a probe with the private key and verifies it with the public one, so a
/// mismatched pair is reported against the private key when the key is built.
fn check_pair(
    algorithm: Algorithm,
    encoding: &EncodingKey,
    decoding: &DecodingKey,
) -> Result<(), ConfigError> {
    const PROBE: &[u8] = b"auth-runtime key pair check";
    let signature = jsonwebtoken::crypto::sign(PROBE, encoding, algorithm)
        .map_err(|e| ConfigError::key(PRIVATE_SETTING, e))?;
    match jsonwebtoken::crypto::verify(&signature, PROBE, decoding, algorithm) {
        Ok(true) => Ok(()),
        _ => Err(ConfigError::invalid(
            PRIVATE_SETTING,
            "this private key does not belong to the public key; write the public key from \
             it with `openssl pkey -in private.pem -pubout -out public.pem`",
        )),
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
