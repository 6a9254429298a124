//! Key files: which PEM block holds the key, whether its format fits the algorithm, and
//! the key's strength, normalised to the one-block PKCS#8 (or PKCS#1 RSA) PEM that
//! jsonwebtoken reads.
//!
//! Accepted private keys: PKCS#8 (`PRIVATE KEY`, what `openssl genpkey` writes) for every
//! algorithm, PKCS#1 (`RSA PRIVATE KEY`, `openssl genrsa -traditional`) for RSA and SEC1
//! (`EC PRIVATE KEY`, `openssl ecparam -genkey`) for EC, which is wrapped in PKCS#8 here.
//! Any other block is refused with the command that makes the right file.

use jsonwebtoken::Algorithm;
use pem::Pem;

use super::der;
use crate::config::ConfigError;

/// The kind of key an asymmetric algorithm takes.
#[derive(Clone, Copy)]
pub(super) enum Family {
    Rsa,
    Ec,
    Ed,
}

impl Family {
    pub(super) fn of(algorithm: Algorithm) -> Option<Self> {
        use Algorithm::*;
        match algorithm {
            RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => Some(Self::Rsa),
            ES256 | ES384 => Some(Self::Ec),
            EdDSA => Some(Self::Ed),
            _ => None,
        }
    }

    /// The PEM blocks accepted as a private key, in words.
    fn private_forms(self) -> &'static str {
        match self {
            Self::Rsa => "`PRIVATE KEY` (PKCS#8) or `RSA PRIVATE KEY` (PKCS#1)",
            Self::Ec => "`PRIVATE KEY` (PKCS#8) or `EC PRIVATE KEY` (SEC1)",
            Self::Ed => "`PRIVATE KEY` (PKCS#8)",
        }
    }

    /// The command that makes a private key of this family.
    fn generate(self, algorithm: Algorithm) -> &'static str {
        match (self, algorithm) {
            (Self::Rsa, _) => {
                "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out private.pem"
            }
            (Self::Ec, Algorithm::ES384) => {
                "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out private.pem"
            }
            (Self::Ec, _) => {
                "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out private.pem"
            }
            (Self::Ed, _) => "openssl genpkey -algorithm ed25519 -out private.pem",
        }
    }
}

/// The command that writes the public key of `private.pem`.
const PUBLIC_FROM_PRIVATE: &str = "openssl pkey -in private.pem -pubout -out public.pem";

/// A private key file as one PKCS#8 (or PKCS#1 RSA) PEM block, checked for strength.
pub(super) fn private_pem(
    setting: &'static str,
    algorithm: Algorithm,
    family: Family,
    pem: &[u8],
) -> Result<String, ConfigError> {
    let block = key_block(setting, pem)?;
    let block = match (family, block.tag()) {
        (Family::Ec, "EC PRIVATE KEY") => {
            let pkcs8 = der::sec1_to_pkcs8(block.contents(), curve(algorithm).0)
                .ok_or_else(|| ConfigError::invalid(setting, "not a SEC1 EC private key"))?;
            Pem::new("PRIVATE KEY", pkcs8)
        }
        (Family::Rsa, "PRIVATE KEY" | "RSA PRIVATE KEY") | (_, "PRIVATE KEY") => block,
        (_, "ENCRYPTED PRIVATE KEY") => {
            return Err(ConfigError::invalid(
                setting,
                "the key is encrypted; write an unencrypted copy with \
                 `openssl pkey -in private.pem -out private-plain.pem`",
            ));
        }
        (_, tag) => {
            return Err(ConfigError::invalid(
                setting,
                format!(
                    "a `{tag}` PEM block is not a {algorithm:?} private key; expected {}. \
                     Make one with `{}`",
                    family.private_forms(),
                    family.generate(algorithm)
                ),
            ));
        }
    };
    check_strength(setting, algorithm, family, block.contents())?;
    Ok(pem::encode(&block))
}

/// A public key file as one PEM block, checked for strength.
pub(super) fn public_pem(
    setting: &'static str,
    algorithm: Algorithm,
    family: Family,
    pem: &[u8],
) -> Result<String, ConfigError> {
    let block = key_block(setting, pem)?;
    match (family, block.tag()) {
        (Family::Rsa, "PUBLIC KEY" | "RSA PUBLIC KEY") | (_, "PUBLIC KEY") => {}
        (_, tag) if tag.ends_with("PRIVATE KEY") => {
            return Err(ConfigError::invalid(
                setting,
                format!(
                    "this is a private key (`{tag}`); write its public key with \
                     `{PUBLIC_FROM_PRIVATE}`"
                ),
            ));
        }
        (_, "CERTIFICATE") => {
            return Err(ConfigError::invalid(
                setting,
                "this is a certificate; write its public key with \
                 `openssl x509 -in cert.pem -pubkey -noout -out public.pem`",
            ));
        }
        (_, tag) => {
            return Err(ConfigError::invalid(
                setting,
                format!(
                    "a `{tag}` PEM block is not a public key; expected `PUBLIC KEY`. \
                     Make one with `{PUBLIC_FROM_PRIVATE}`"
                ),
            ));
        }
    }
    check_strength(setting, algorithm, family, block.contents())?;
    Ok(pem::encode(&block))
}

/// The first PEM block that holds a key: `openssl ecparam -genkey` writes an
/// `EC PARAMETERS` block first.
fn key_block(setting: &'static str, pem: &[u8]) -> Result<Pem, ConfigError> {
    let blocks = pem::parse_many(pem)
        .map_err(|e| ConfigError::invalid(setting, format!("not a PEM file: {e}")))?;
    blocks
        .into_iter()
        .find(|b| b.tag() != "EC PARAMETERS")
        .ok_or_else(|| ConfigError::invalid(setting, "not a PEM file: no key block in it"))
}

fn check_strength(
    setting: &'static str,
    algorithm: Algorithm,
    family: Family,
    der: &[u8],
) -> Result<(), ConfigError> {
    match family {
        Family::Rsa => check_rsa_bits(setting, der),
        Family::Ec => check_curve(setting, algorithm, der),
        Family::Ed => Ok(()),
    }
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

/// The curve an EC algorithm needs: its OID (a whole TLV) and its name.
fn curve(algorithm: Algorithm) -> (&'static [u8], &'static str) {
    const P256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    const P384: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22];
    match algorithm {
        Algorithm::ES256 => (P256, "P-256"),
        _ => (P384, "P-384"),
    }
}

/// Refuses an EC key on another curve than the algorithm's (P-256 for ES256, P-384 for
/// ES384), which jsonwebtoken would otherwise only discover at the first request.
fn check_curve(setting: &'static str, algorithm: Algorithm, der: &[u8]) -> Result<(), ConfigError> {
    let (oid, name) = curve(algorithm);
    if der.windows(oid.len()).any(|w| w == oid) {
        Ok(())
    } else {
        Err(ConfigError::invalid(
            setting,
            format!("{algorithm:?} needs a {name} key"),
        ))
    }
}
