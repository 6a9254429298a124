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

pub fn sign_with(algorithm: Algorithm, claims: &Value) -> String {
    let header = jsonwebtoken::Header::new(algorithm);
    jsonwebtoken::encode(&header, claims, &encoding_key(algorithm)).expect("sign test token")
}

/// A token from raw header and payload JSON text, HMAC-signed with the test secret over
/// exactly those bytes (for duplicate keys and other shapes serde would not produce).
pub fn sign_raw(header_json: &str, payload_json: impl AsRef<[u8]>) -> String {
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
