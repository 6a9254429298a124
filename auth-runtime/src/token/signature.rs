//! Verification keys prepared once, when a key is built or a key set is read: an HMAC
//! key schedule, or a public key parsed into aws-lc's own form, so a first-seen token
//! costs only its signature check. Each is pinned to one algorithm.
//!
//! ECDSA signatures are malleable: for a valid `(r, s)`, `(r, n − s)` is valid too, a
//! second text for the same token. A key that signs tokens here refuses the high form
//! (`s > n/2`), and this service only writes the low form ([`canonical_ecdsa`]), so
//! each of its own tokens has exactly one text (with strict base64url). Keys that only
//! verify, an identity provider's or another service's, accept both forms: most
//! signers (OpenSSL, Go, Java) write either at random, and refusing half of their
//! tokens is not an option. That twin is harmless here: it carries the same claims
//! under the same key, so revocation (by `jti` and family) refuses it alike, and the
//! verified-token cache only misses once more on it.

use aws_lc_rs::{
    hmac,
    signature::{self, ParsedPublicKey, RsaParameters, RsaPublicKeyComponents},
};
use jsonwebtoken::{Algorithm, DecodingKey, DecodingKeyKind, errors::ErrorKind};

/// A key ready to check signatures for its one algorithm. Always held in an `Arc`, so
/// the HMAC variant's size costs nothing per verifier.
#[allow(clippy::large_enum_variant)]
pub(crate) enum PreparedKey {
    /// HS256/384/512: the key schedule, made once.
    Hmac(hmac::Key),
    /// RS*, PS*, ES*, EdDSA: the public key, parsed once. `low_s` holds the group order
    /// when only low-S ECDSA signatures are accepted.
    Public {
        key: ParsedPublicKey,
        low_s: Option<&'static [u8]>,
    },
}

/// Why a key could not be prepared.
pub(crate) type Unprepared = ErrorKind;

impl PreparedKey {
    /// Prepares the public (or HMAC) half of `decoding` for `algorithm`. `signs` says
    /// whether this service signs with the key: then high-S ECDSA signatures are refused.
    pub(crate) fn new(
        algorithm: Algorithm,
        decoding: &DecodingKey,
        signs: bool,
    ) -> Result<Self, Unprepared> {
        let bytes = || decoding.try_get_as_bytes().map_err(|e| e.into_kind());
        let public = |alg: &'static dyn signature::VerificationAlgorithm| {
            ParsedPublicKey::new(alg, bytes()?).map_err(|_| ErrorKind::InvalidKeyFormat)
        };
        let rsa = |params: &'static RsaParameters| match decoding.kind() {
            DecodingKeyKind::RsaModulusExponent { n, e } => RsaPublicKeyComponents { n, e }
                .to_parsed_public_key(params)
                .map_err(|_| ErrorKind::InvalidKeyFormat),
            DecodingKeyKind::SecretOrDer(der) => {
                ParsedPublicKey::new(params, der).map_err(|_| ErrorKind::InvalidKeyFormat)
            }
        };
        let key = |key, low_s: &'static [u8]| PreparedKey::Public {
            key,
            low_s: signs.then_some(low_s),
        };
        Ok(match algorithm {
            Algorithm::HS256 => Self::Hmac(hmac::Key::new(hmac::HMAC_SHA256, bytes()?)),
            Algorithm::HS384 => Self::Hmac(hmac::Key::new(hmac::HMAC_SHA384, bytes()?)),
            Algorithm::HS512 => Self::Hmac(hmac::Key::new(hmac::HMAC_SHA512, bytes()?)),
            Algorithm::ES256 => key(public(&signature::ECDSA_P256_SHA256_FIXED)?, &P256_N),
            Algorithm::ES384 => key(public(&signature::ECDSA_P384_SHA384_FIXED)?, &P384_N),
            Algorithm::EdDSA => Self::Public {
                key: public(&signature::ED25519)?,
                low_s: None,
            },
            other => Self::Public {
                key: rsa(match other {
                    Algorithm::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
                    Algorithm::RS384 => &signature::RSA_PKCS1_2048_8192_SHA384,
                    Algorithm::RS512 => &signature::RSA_PKCS1_2048_8192_SHA512,
                    Algorithm::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
                    Algorithm::PS384 => &signature::RSA_PSS_2048_8192_SHA384,
                    _ => &signature::RSA_PSS_2048_8192_SHA512,
                })?,
                low_s: None,
            },
        })
    }

    /// Whether `signature` (raw bytes) is a valid signature of `message` by this key.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            Self::Hmac(key) => hmac::verify(key, message, signature).is_ok(),
            Self::Public { key, low_s } => {
                if let Some(order) = low_s
                    && is_high_s(order, signature)
                {
                    return false;
                }
                key.verify_sig(message, signature).is_ok()
            }
        }
    }
}

/// The order of the P-256 group, big-endian.
const P256_N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// The order of the P-384 group, big-endian.
const P384_N: [u8; 48] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
    0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
];

/// `n − s`, big-endian, or `None` when `s > n` (a signature verification refuses anyway).
fn complement(order: &[u8], s: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0u8; order.len()];
    let mut borrow = 0u16;
    for i in (0..order.len()).rev() {
        let d = u16::from(order[i])
            .wrapping_sub(u16::from(s[i]))
            .wrapping_sub(borrow);
        borrow = u16::from(d > 0xff);
        out[i] = d as u8;
    }
    (borrow == 0).then_some(out)
}

/// Whether the raw `r || s` signature has `s > n/2`, that is `s > n − s`. A signature of
/// the wrong length is left to verification, which refuses it.
fn is_high_s(order: &[u8], signature: &[u8]) -> bool {
    if signature.len() != 2 * order.len() {
        return false;
    }
    let s = &signature[order.len()..];
    complement(order, s).is_some_and(|twin| s > twin.as_slice())
}

/// The low-S form of an ES256 or ES384 token this service has just signed: `s` replaced
/// by `n − s` when it is high. Any other token comes back as it is.
pub(crate) fn canonical_ecdsa(algorithm: Algorithm, token: String) -> String {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let order: &[u8] = match algorithm {
        Algorithm::ES256 => &P256_N,
        Algorithm::ES384 => &P384_N,
        _ => return token,
    };
    let Some((input, sig)) = token.rsplit_once('.') else {
        return token;
    };
    let Ok(mut raw) = URL_SAFE_NO_PAD.decode(sig) else {
        return token;
    };
    if !is_high_s(order, &raw) {
        return token;
    }
    let Some(low) = complement(order, &raw[order.len()..]) else {
        return token;
    };
    raw[order.len()..].copy_from_slice(&low);
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s_is_high_above_half_the_order() {
        let mut sig = vec![1u8; 32];
        sig.extend([0u8; 32]);
        assert!(!is_high_s(&P256_N, &sig), "s = 0");
        let half = {
            // (n − 1) / 2: the largest low s.
            let mut h = P256_N;
            let mut carry = 0u8;
            for b in &mut h {
                let next = *b & 1;
                *b = (*b >> 1) | (carry << 7);
                carry = next;
            }
            h
        };
        sig[32..].copy_from_slice(&half);
        assert!(!is_high_s(&P256_N, &sig), "(n-1)/2");
        sig[63] += 1;
        assert!(is_high_s(&P256_N, &sig), "(n+1)/2");
        sig[32..].copy_from_slice(&P256_N);
        sig[63] -= 1;
        assert!(is_high_s(&P256_N, &sig), "n - 1");
        sig[32..].fill(0xff);
        assert!(!is_high_s(&P256_N, &sig), "s > n is left to verification");
        assert!(!is_high_s(&P256_N, &sig[..63]), "wrong length");
    }
}
