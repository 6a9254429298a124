//! A provider's key set, read from its JWKS document: one [`Verifier`] per key that fits,
//! each pinned to one algorithm.
//!
//! Refused, each logged at `warn` while the rest of the set is kept: a symmetric key
//! (`kty: "oct"`: anyone holding the set could sign), a key for encryption (`use:
//! "enc"`, or `key_ops` without `verify`), private key material, an `alg` not among the
//! provider's algorithms or that does not fit the key (an EC key labelled `RS256`, a
//! P-384 key labelled `ES256`), an RSA key under 2048 bits, and a second key with the
//! same `kid`. Without `alg`, the algorithm is inferred only where the key says it:
//! P-256 → ES256, P-384 → ES384, Ed25519 → EdDSA, and RSA → RS256 (what OpenID Connect
//! providers that omit `alg` mean), or the only RSA algorithm allowed.

use std::sync::Arc;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{
    Algorithm, DecodingKey,
    jwk::{AlgorithmParameters, EllipticCurve, Jwk},
};
use serde_json::Value;

use crate::{
    config::env::parse_algorithm,
    error::AuthError,
    token::{signature::PreparedKey, trust::Verifier},
};

/// The usable keys of one fetched document.
pub(crate) struct KeySet {
    verifiers: Vec<Arc<Verifier>>,
}

impl KeySet {
    /// Reads a JWKS document. An error when it is not a JSON object with a `keys` array,
    /// or when no key in it is usable.
    pub(crate) fn parse(document: &[u8], allowed: &[Algorithm]) -> Result<Self, String> {
        let document: Value =
            serde_json::from_slice(document).map_err(|e| format!("not JSON ({e})"))?;
        let keys = document
            .get("keys")
            .and_then(Value::as_array)
            .ok_or("no `keys` array")?;
        let mut verifiers: Vec<Arc<Verifier>> = Vec::new();
        for (index, key) in keys.iter().enumerate() {
            let kid = key.get("kid").and_then(Value::as_str).unwrap_or("");
            match accept(key, allowed) {
                Ok(v) if v.kid.is_some() && verifiers.iter().any(|o| o.kid == v.kid) => {
                    tracing::warn!(index, kid, "JWKS key refused: a second key with this kid");
                }
                Ok(v) => verifiers.push(Arc::new(v)),
                Err(reason) => tracing::warn!(index, kid, reason, "JWKS key refused"),
            }
        }
        if verifiers.is_empty() {
            return Err(format!("none of its {} keys is usable", keys.len()));
        }
        Ok(Self { verifiers })
    }

    /// The key for a token: the exact `kid`, or without a `kid` the only key of the
    /// token's algorithm.
    pub(crate) fn verifier(
        &self,
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<Arc<Verifier>, AuthError> {
        let mut fits = self.verifiers.iter().filter(|v| match kid {
            Some(kid) => v.kid.as_deref() == Some(kid),
            None => v.algorithm == alg,
        });
        match (fits.next(), fits.next()) {
            (Some(only), None) => Ok(only.clone()),
            _ => Err(AuthError::UnknownKey),
        }
    }

    /// How many keys verify.
    pub(crate) fn len(&self) -> usize {
        self.verifiers.len()
    }
}

/// One key of the set, or why it is refused.
fn accept(value: &Value, allowed: &[Algorithm]) -> Result<Verifier, &'static str> {
    let object = value.as_object().ok_or("not a JSON object")?;
    let text = |name: &str| object.get(name).and_then(Value::as_str);
    if text("kty") == Some("oct") {
        return Err("a symmetric (`oct`) key");
    }
    if ["d", "p", "q", "dp", "dq", "qi"]
        .iter()
        .any(|p| object.contains_key(*p))
    {
        return Err("private key material");
    }
    if object.get("use").is_some_and(|u| u != "sig") {
        return Err("`use` is not `sig`");
    }
    if let Some(ops) = object.get("key_ops")
        && !ops
            .as_array()
            .is_some_and(|ops| ops.iter().any(|op| op == "verify"))
    {
        return Err("`key_ops` without `verify`");
    }
    if object.get("kid").is_some_and(|k| !k.is_string()) {
        return Err("`kid` is not a string");
    }
    // `alg` is read here (jsonwebtoken would turn an unknown name into a silent default).
    let named = match object.get("alg") {
        None => None,
        Some(alg) => Some(
            alg.as_str()
                .and_then(parse_algorithm)
                .ok_or("an unknown `alg`")?,
        ),
    };
    let mut bare = value.clone();
    if let Some(bare) = bare.as_object_mut() {
        bare.remove("alg");
    }
    let jwk: Jwk = serde_json::from_value(bare).map_err(|_| "unreadable key parameters")?;
    let algorithm = match (named, &jwk.algorithm) {
        (Some(alg), params) if fits(alg, params) => alg,
        (Some(_), _) => return Err("`alg` does not fit the key"),
        (None, params) => infer(params, allowed).ok_or("no `alg`, and none can be inferred")?,
    };
    if !allowed.contains(&algorithm) {
        return Err("`alg` is not among the provider's algorithms");
    }
    if let AlgorithmParameters::RSA(rsa) = &jwk.algorithm
        && modulus_bits(&rsa.n) < 2048
    {
        return Err("an RSA key under 2048 bits");
    }
    let decoding = DecodingKey::from_jwk(&jwk).map_err(|_| "unusable key parameters")?;
    // A provider's signer may write either ECDSA form (see `token::signature`).
    let key = PreparedKey::new(algorithm, &decoding, false).map_err(|_| "unusable key")?;
    Ok(Verifier {
        kid: jwk.common.key_id,
        algorithm,
        key: Arc::new(key),
    })
}

/// Whether `alg` can be used with these key parameters.
fn fits(alg: Algorithm, params: &AlgorithmParameters) -> bool {
    use Algorithm::*;
    match params {
        AlgorithmParameters::RSA(_) => {
            matches!(alg, RS256 | RS384 | RS512 | PS256 | PS384 | PS512)
        }
        AlgorithmParameters::EllipticCurve(ec) => matches!(
            (ec.curve.clone(), alg),
            (EllipticCurve::P256, ES256) | (EllipticCurve::P384, ES384)
        ),
        AlgorithmParameters::OctetKeyPair(okp) => {
            okp.curve == EllipticCurve::Ed25519 && alg == EdDSA
        }
        _ => false,
    }
}

/// The algorithm a key without `alg` can only mean.
fn infer(params: &AlgorithmParameters, allowed: &[Algorithm]) -> Option<Algorithm> {
    use Algorithm::*;
    match params {
        AlgorithmParameters::RSA(_) if allowed.contains(&RS256) => Some(RS256),
        AlgorithmParameters::RSA(_) => {
            let mut rsa = allowed.iter().filter(|a| fits(**a, params));
            match (rsa.next(), rsa.next()) {
                (Some(only), None) => Some(*only),
                _ => None,
            }
        }
        AlgorithmParameters::EllipticCurve(ec) => match ec.curve {
            EllipticCurve::P256 => Some(ES256),
            EllipticCurve::P384 => Some(ES384),
            _ => None,
        },
        AlgorithmParameters::OctetKeyPair(okp) if okp.curve == EllipticCurve::Ed25519 => {
            Some(EdDSA)
        }
        _ => None,
    }
}

/// The length in bits of a base64url big-endian modulus (0 when unreadable).
fn modulus_bits(n: &str) -> usize {
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(n) else {
        return 0;
    };
    let Some(first) = bytes.iter().position(|b| *b != 0) else {
        return 0;
    };
    (bytes.len() - first) * 8 - bytes[first].leading_zeros() as usize
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const ALL: &[Algorithm] = &[Algorithm::RS256, Algorithm::ES256, Algorithm::EdDSA];
    // An Ed25519 public key (RFC 8037 §A.2).
    const ED_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

    fn ed(extra: Value) -> Value {
        let mut key = json!({"kty": "OKP", "crv": "Ed25519", "x": ED_X, "kid": "ed"});
        key.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        key
    }

    #[test]
    fn a_good_key_is_pinned_to_its_inferred_algorithm() {
        let set = KeySet::parse(json!({"keys": [ed(json!({}))]}).to_string().as_bytes(), ALL)
            .expect("usable");
        let verifier = set.verifier(Some("ed"), Algorithm::EdDSA).unwrap();
        assert_eq!(verifier.algorithm, Algorithm::EdDSA);
        assert!(set.verifier(Some("other"), Algorithm::EdDSA).is_err());
        assert!(
            set.verifier(None, Algorithm::EdDSA).is_ok(),
            "the only EdDSA key"
        );
        assert!(set.verifier(None, Algorithm::ES256).is_err());
    }

    #[test]
    fn keys_that_do_not_fit_are_refused() {
        for (bad, why) in [
            (json!({"kty": "oct", "k": "c2VjcmV0", "kid": "ed"}), "oct"),
            (ed(json!({"use": "enc"})), "use"),
            (ed(json!({"key_ops": ["encrypt"]})), "key_ops"),
            (ed(json!({"alg": "RS256"})), "alg mismatch"),
            (ed(json!({"alg": "HS256"})), "hmac alg"),
            (ed(json!({"alg": "none"})), "unknown alg"),
            (ed(json!({"d": "private"})), "private"),
            (ed(json!({"kid": 7})), "kid type"),
            (json!("a string"), "not an object"),
        ] {
            let doc = json!({"keys": [bad]}).to_string();
            assert!(KeySet::parse(doc.as_bytes(), ALL).is_err(), "{why}");
        }
        let only_es = KeySet::parse(
            json!({"keys": [ed(json!({}))]}).to_string().as_bytes(),
            &[Algorithm::ES256],
        );
        assert!(only_es.is_err(), "EdDSA not allowed");
    }

    #[test]
    fn a_bad_key_does_not_spoil_the_set_and_kids_are_unique() {
        let doc = json!({"keys": [
            {"kty": "oct", "k": "c2VjcmV0", "kid": "x"},
            ed(json!({})),
            ed(json!({})),
        ]});
        let set = KeySet::parse(doc.to_string().as_bytes(), ALL).expect("one usable key");
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn documents_must_be_key_sets() {
        for doc in [
            "",
            "[]",
            "{}",
            r#"{"keys": "x"}"#,
            r#"{"keys": []}"#,
            "{\"keys\": [",
        ] {
            assert!(KeySet::parse(doc.as_bytes(), ALL).is_err(), "{doc}");
        }
    }

    #[test]
    fn modulus_length_is_counted_in_bits() {
        assert_eq!(modulus_bits(&URL_SAFE_NO_PAD.encode([0u8, 0x80, 0])), 16);
        assert_eq!(modulus_bits(&URL_SAFE_NO_PAD.encode([0x01, 0])), 9);
        assert_eq!(modulus_bits("!!"), 0);
    }
}
