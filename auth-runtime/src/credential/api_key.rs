//! API keys: `ak_<id>_<secret>`, the id in clear for lookup and revocation, only the
//! secret's SHA-256 in the store, compared in constant time.

use std::fmt;

use aws_lc_rs::constant_time::verify_slices_are_equal;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::record::sha256;
use crate::{
    error::AuthError,
    store::StoreError,
    token::{Credential, CurrentToken, IssueError},
};

const PREFIX: &str = "ak_";
/// 96 random bits of id, base64url.
const ID_LEN: usize = 16;
/// 256 random bits of secret, base64url.
const SECRET_LEN: usize = 43;
const KEY_LEN: usize = PREFIX.len() + ID_LEN + 1 + SECRET_LEN;

/// A newly issued API key: hand [`key`](Self::key) to its owner once; the store keeps
/// only its id and the digest of its secret. `Debug` never shows the secret.
#[derive(Clone)]
pub struct ApiKey {
    id: String,
    key: String,
}

impl ApiKey {
    /// The public id: what to list, log and revoke by.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The whole key, for the `X-API-Key` header. A secret: shown once, never logged.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// An API key as a request presented it, once its shape was checked.
pub(crate) struct ApiKeyText<'a> {
    pub(crate) id: &'a str,
    secret: &'a str,
}

impl<'a> ApiKeyText<'a> {
    /// `text` split into id and secret; `None` for anything of another shape, before any
    /// store call.
    pub(crate) fn parse(text: &'a str) -> Option<Self> {
        let rest = text.strip_prefix(PREFIX)?;
        if text.len() != KEY_LEN || !rest.is_char_boundary(ID_LEN) {
            return None;
        }
        let (id, rest) = rest.split_at(ID_LEN);
        let secret = rest.strip_prefix('_')?;
        let b64 = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        (b64(id) && b64(secret)).then_some(Self { id, secret })
    }

    /// A new key: random id and secret.
    pub(crate) fn generate() -> Result<(ApiKey, [u8; 32]), IssueError> {
        let mut id = [0u8; 12];
        let mut secret = [0u8; 32];
        getrandom::fill(&mut id).map_err(IssueError::Random)?;
        getrandom::fill(&mut secret).map_err(IssueError::Random)?;
        let id = URL_SAFE_NO_PAD.encode(id);
        let secret = URL_SAFE_NO_PAD.encode(secret);
        let digest = sha256(secret.as_bytes());
        let key = format!("{PREFIX}{id}_{secret}");
        Ok((ApiKey { id, key }, digest))
    }

    /// The token this key stands for, if `stored` (its record) holds its secret.
    pub(crate) fn check(&self, stored: &str, presented: &str) -> Result<CurrentToken, AuthError> {
        let record: StoredKey = serde_json::from_str(stored)
            .map_err(|e| AuthError::StoreUnavailable(StoreError::Corrupt(e.to_string())))?;
        let expected = hex_decode(&record.secret).ok_or_else(|| {
            AuthError::StoreUnavailable(StoreError::Corrupt("an API key's digest".to_owned()))
        })?;
        let actual = sha256(self.secret.as_bytes());
        verify_slices_are_equal(&expected, &actual).map_err(|_| AuthError::UnknownCredential)?;
        super::claims_to_token(
            presented,
            Credential::ApiKey,
            Some(self.id.to_owned()),
            record.claims,
        )
    }
}

/// An API key's record: the digest of its secret and the claims it grants.
#[derive(Serialize, Deserialize)]
struct StoredKey {
    secret: String,
    claims: Map<String, Value>,
}

/// The record to store for a key whose secret has `digest`.
pub(crate) fn stored_api_key(digest: &[u8; 32], claims: Map<String, Value>) -> String {
    let secret = digest.iter().map(|b| format!("{b:02x}")).collect();
    serde_json::to_string(&StoredKey { secret, claims }).unwrap_or_default()
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_parse_back() {
        let (key, _) = ApiKeyText::generate().unwrap();
        assert_eq!(key.key().len(), KEY_LEN);
        let parsed = ApiKeyText::parse(key.key()).expect("its own shape");
        assert_eq!(parsed.id, key.id());
    }

    #[test]
    fn anything_of_another_shape_is_refused_unread() {
        let (key, _) = ApiKeyText::generate().unwrap();
        let text = key.key();
        for bad in [
            "",
            "ak_",
            &text[..text.len() - 1],
            &format!("{text}x"),
            &text.replacen("ak_", "AK_", 1),
            &format!("{}.{}", &text[..19], &text[20..]),
            &format!("{}é", &text[..text.len() - 2]),
            "eyJh.eyJz.sig",
        ] {
            assert!(ApiKeyText::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn only_the_right_secret_checks() {
        let (key, digest) = ApiKeyText::generate().unwrap();
        let mut claims = Map::new();
        claims.insert("sub".into(), "bot".into());
        claims.insert("type".into(), "auth".into());
        claims.insert("exp".into(), (u64::MAX / 4).into());
        let stored = stored_api_key(&digest, claims);
        let parsed = ApiKeyText::parse(key.key()).unwrap();
        let token = parsed.check(&stored, key.key()).expect("the right secret");
        assert_eq!(token.sub(), "bot");
        assert_eq!(token.kid(), Some(key.id()));
        assert_eq!(token.credential(), Credential::ApiKey);
        let (other, _) = ApiKeyText::generate().unwrap();
        let forged = format!("{}{}", &key.key()[..20], &other.key()[20..]);
        let parsed = ApiKeyText::parse(&forged).unwrap();
        assert!(matches!(
            parsed.check(&stored, &forged),
            Err(AuthError::UnknownCredential)
        ));
    }
}
