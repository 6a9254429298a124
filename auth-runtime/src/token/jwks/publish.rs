//! Publishing: this service's public keys as a JWK set (RFC 7517), for the services that
//! verify its tokens.
//!
//! Each key is written from its public (decoding) half only, so private material is never
//! touched; an HMAC key is never written at all (jsonwebtoken would put the secret in
//! `k`: anyone reading the set could then sign tokens).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, jwk::Jwk};
use serde_json::{Value, json};

use crate::token::Key;

impl Key {
    /// This key's public half as a JWK (RFC 7517): `kty`, the key parameters, `alg`,
    /// `use: "sig"` and the key's `kid` when it has one. `None` for an HMAC key, whose
    /// secret must never be published.
    ///
    /// ```
    /// use auth_runtime::{Algorithm, Key};
    ///
    /// let secret = Key::hmac(Algorithm::HS256, "a-secret-of-at-least-thirty-two-bytes!")?;
    /// assert!(secret.public_jwk().is_none());
    /// # Ok::<(), auth_runtime::ConfigError>(())
    /// ```
    pub fn public_jwk(&self) -> Option<Value> {
        if is_hmac(self.algorithm) {
            return None;
        }
        let jwk = Jwk::from_decoding_key(&self.decoding, Some(self.algorithm)).ok()?;
        let mut value = serde_json::to_value(jwk).ok()?;
        let object = value.as_object_mut()?;
        // Belt and braces: whatever jsonwebtoken writes, a symmetric key never leaves.
        if object.get("kty").and_then(Value::as_str) == Some("oct") || object.contains_key("k") {
            return None;
        }
        object.insert("use".into(), json!("sig"));
        if let Some(kid) = &self.kid {
            object.insert("kid".into(), json!(kid));
        }
        Some(value)
    }
}

fn is_hmac(algorithm: Algorithm) -> bool {
    matches!(
        algorithm,
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512
    )
}

/// The published document: `{"keys": [...]}` with the public JWK of every asymmetric
/// key, and a strong `ETag` for it.
pub(crate) struct PublishedKeys {
    pub(crate) body: String,
    pub(crate) etag: String,
}

impl PublishedKeys {
    pub(crate) fn new(keys: &[Key]) -> Self {
        let keys: Vec<Value> = keys.iter().filter_map(Key::public_jwk).collect();
        let body = json!({ "keys": keys }).to_string();
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, body.as_bytes());
        let etag = format!("\"{}\"", URL_SAFE_NO_PAD.encode(&digest.as_ref()[..16]));
        Self { body, etag }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_hmac_key_is_never_published() {
        let secret = "a-secret-of-at-least-thirty-two-bytes!";
        let key = Key::hmac(Algorithm::HS256, secret).unwrap().with_kid("h");
        assert!(key.public_jwk().is_none());
        let published = PublishedKeys::new(&[key]);
        assert_eq!(published.body, r#"{"keys":[]}"#);
        assert!(!published.body.contains(&URL_SAFE_NO_PAD.encode(secret)));
    }
}
