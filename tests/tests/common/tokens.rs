//! Tokens for tests: issued by a manager through `testing::TestToken`, or signed by hand from raw claims and headers
//! (for shapes the library would never issue).

use auth_runtime::{Algorithm, AuthManager, testing::TestToken};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::Value;

use super::keys::{ISSUER, encoding_key, hmac_secret};

/// An auth token for `sub`, issued by `manager`.
pub fn auth_token(manager: &AuthManager, sub: &str) -> String {
    TestToken::new(manager, sub).sign()
}

/// An auth token for `sub` whose scope grants `admin`.
pub fn admin_token(manager: &AuthManager, sub: &str) -> String {
    TestToken::new(manager, sub)
        .scope(serde_json::json!({"admin": true}))
        .sign()
}

pub fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

/// Claims of a valid auth token for `sub`, as this library issues them.
pub fn claims(sub: &str) -> Value {
    serde_json::json!({
        "iss": ISSUER, "sub": sub, "iat": now(), "exp": now() + 600,
        "type": "auth", "jti": "test-jti",
    })
}

/// Signs arbitrary claims with the test HS256 key and a `{"alg","typ":"JWT"}` header.
pub fn sign(claims: &Value) -> String {
    sign_with(Algorithm::HS256, claims)
}

/// Signs claims with the test key of `algorithm`; an ECDSA signature in its low-S form,
/// as the library writes it (its signing keys refuse the other form).
pub fn sign_with(algorithm: Algorithm, claims: &Value) -> String {
    let header = jsonwebtoken::Header::new(algorithm);
    let token =
        jsonwebtoken::encode(&header, claims, &encoding_key(algorithm)).expect("sign test token");
    match ecdsa_twin(algorithm, &token) {
        Some((twin, true)) => twin,
        _ => token,
    }
}

/// The group orders of P-256 and P-384, big-endian.
const P256_N: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
const P384_N: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973";

/// The other valid text of an ES256/ES384 token: `s` replaced by `n − s`, and whether
/// that twin is the low-S one. `None` for other algorithms.
pub fn ecdsa_twin(algorithm: Algorithm, token: &str) -> Option<(String, bool)> {
    let order = match algorithm {
        Algorithm::ES256 => P256_N,
        Algorithm::ES384 => P384_N,
        _ => return None,
    };
    let order: Vec<u8> = (0..order.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&order[i..i + 2], 16).unwrap())
        .collect();
    let (input, sig) = token.rsplit_once('.')?;
    let mut raw = URL_SAFE_NO_PAD.decode(sig).ok()?;
    let s = raw[order.len()..].to_vec();
    let mut borrow = 0i16;
    for i in (0..order.len()).rev() {
        let mut d = i16::from(order[i]) - i16::from(s[i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        raw[order.len() + i] = d as u8;
    }
    let twin_is_low = raw[order.len()..] < s[..];
    Some((
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(raw)),
        twin_is_low,
    ))
}

/// A token from raw header and payload JSON text, HMAC-signed with the test secret over
/// exactly those bytes (for duplicate keys and other shapes serde would not produce).
pub fn sign_raw(header_json: impl AsRef<[u8]>, payload_json: impl AsRef<[u8]>) -> String {
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header_json),
        URL_SAFE_NO_PAD.encode(payload_json)
    );
    let key = hmac_sha256(&hmac_secret(Algorithm::HS256), signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(key))
}

/// HMAC-SHA256 through jsonwebtoken's own signer (no extra crypto dependency).
fn hmac_sha256(secret: &[u8], message: &[u8]) -> Vec<u8> {
    let key = jsonwebtoken::EncodingKey::from_secret(secret);
    let signature = jsonwebtoken::crypto::sign(message, &key, Algorithm::HS256).expect("hmac");
    URL_SAFE_NO_PAD
        .decode(signature)
        .expect("base64url signature")
}
