//! [`StoreKey`]: an id as a store keeps it, safe as key material whatever a token carried.

use std::fmt;

use aws_lc_rs::digest::{SHA256, digest};

/// The longest id kept as it is; longer ids, and ids with other characters, are hashed.
const MAX_PLAIN: usize = 64;

/// An id as a [`TokenStore`](super::TokenStore) keeps it: `t.<jti>` for a token,
/// `f.<id>` for a refresh family, `o.<sha-256>` for an opaque token's record, `k.<id>`
/// for an API key's record.
///
/// Ids of the base64url alphabet up to 64 characters (every id this library issues) are
/// kept as they are; any other text becomes the hex SHA-256 of it (`t#…`, `f#…`), so a
/// hostile `jti` can never become an arbitrary key, a key pattern or a command.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct StoreKey(String);

impl StoreKey {
    /// The key of a token, from its `jti`.
    pub fn token(jti: &str) -> Self {
        Self::new('t', jti)
    }

    /// The key of a refresh family, from its id (the `fam` claim).
    pub fn family(id: &str) -> Self {
        Self::new('f', id)
    }

    /// The key of an opaque token's record, from the token's SHA-256 digest: the token
    /// itself is never key material.
    pub fn opaque_token(digest: &[u8; 32]) -> Self {
        Self(format!("o.{}", hex(digest)))
    }

    /// The key of an API key's record, from the key's public id.
    pub fn api_key(id: &str) -> Self {
        Self::new('k', id)
    }

    fn new(kind: char, id: &str) -> Self {
        let plain = !id.is_empty()
            && id.len() <= MAX_PLAIN
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if plain {
            Self(format!("{kind}.{id}"))
        } else {
            let hash = digest(&SHA256, id.as_bytes());
            Self(format!("{kind}#{}", hex(hash.as_ref())))
        }
    }

    /// The key as text: `[tfok][.#]` then base64url or hex characters only.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `jti` a token key was made from, when it was kept as it is.
    pub(crate) fn jti(&self) -> Option<&str> {
        self.0.strip_prefix("t.")
    }

    /// Rebuilds a key read back from a store, if it has the shape of one.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn from_stored(text: &str) -> Option<Self> {
        let mut chars = text.chars();
        let kind = chars.next()?;
        let sep = chars.next()?;
        let rest = chars.as_str();
        let ok = matches!(kind, 't' | 'f' | 'o' | 'k')
            && match sep {
                '.' => {
                    !rest.is_empty()
                        && rest.len() <= MAX_PLAIN
                        && rest
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                }
                '#' => rest.len() == 64 && rest.bytes().all(|b| b.is_ascii_hexdigit()),
                _ => false,
            };
        ok.then(|| Self(text.to_owned()))
    }
}

fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StoreKey").field(&self.0).finish()
    }
}

impl fmt::Display for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_ids_are_kept_and_anything_else_is_hashed() {
        let key = StoreKey::token("AbC-_9");
        assert_eq!(key.as_str(), "t.AbC-_9");
        assert_eq!(key.jti(), Some("AbC-_9"));
        assert_eq!(StoreKey::family("x").as_str(), "f.x");
        for hostile in ["", "*", "a b", "x\r\nFLUSHALL", "é", &"a".repeat(65), "{a}"] {
            let key = StoreKey::token(hostile);
            assert!(key.as_str().starts_with("t#"), "{hostile:?}");
            assert_eq!(key.as_str().len(), 66);
            assert_eq!(key.jti(), None);
            assert_eq!(StoreKey::from_stored(key.as_str()), Some(key));
        }
        assert_ne!(StoreKey::token("a"), StoreKey::family("a"));
        assert_eq!(StoreKey::from_stored("t.ok"), Some(StoreKey::token("ok")));
        for bad in ["", "t", "t.", "x.a", "t.a b", "t#zz", "f#12"] {
            assert_eq!(StoreKey::from_stored(bad), None, "{bad:?}");
        }
    }
}
