//! Opaque tokens: how they are minted, what shape they may have, and where their record
//! lives.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use super::record::sha256;
use crate::{store::StoreKey, token::IssueError};

/// The longest opaque token looked up; anything longer is refused unread.
const MAX_OPAQUE_LEN: usize = 512;

/// 256 random bits, base64url (43 characters): a new opaque token.
pub(crate) fn new_opaque_token() -> Result<String, IssueError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(IssueError::Random)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// Where the record of `token` lives: under its SHA-256, never under the token.
pub(crate) fn opaque_key(token: &str) -> StoreKey {
    StoreKey::opaque_token(&sha256(token.as_bytes()))
}

/// Whether `token` has the three dot-separated parts of a JWS compact serialisation.
pub(crate) fn looks_like_jwt(token: &str) -> bool {
    let mut parts = token.split('.');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(a), Some(b), Some(_), None) if !a.is_empty() && !b.is_empty()
    )
}

/// Whether `token` may be an opaque token at all: short enough, and not a JWT (a JWT
/// where an opaque token is expected is refused before any lookup).
pub(crate) fn shaped_as_opaque(token: &str) -> bool {
    !token.is_empty() && token.len() <= MAX_OPAQUE_LEN && !looks_like_jwt(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_tokens_are_43_base64url_characters_and_differ() {
        let a = new_opaque_token().unwrap();
        let b = new_opaque_token().unwrap();
        assert_eq!(a.len(), 43);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert_ne!(a, b);
        assert!(shaped_as_opaque(&a));
    }

    #[test]
    fn jwts_and_oversized_text_are_not_opaque_tokens() {
        assert!(looks_like_jwt("eyJh.eyJz.sig"));
        assert!(looks_like_jwt("eyJh.eyJz."));
        assert!(!shaped_as_opaque("eyJh.eyJz.sig"));
        assert!(!shaped_as_opaque(""));
        assert!(!shaped_as_opaque(&"a".repeat(513)));
        assert!(shaped_as_opaque("first_user_access_token"));
        assert!(shaped_as_opaque("a.b"));
    }

    #[test]
    fn the_record_key_is_the_digest_never_the_token() {
        let key = opaque_key("first_user_access_token");
        assert!(key.as_str().starts_with("o."));
        assert!(!key.as_str().contains("first_user"));
        assert_ne!(key, opaque_key("first_user_access_tokeN"));
    }
}
