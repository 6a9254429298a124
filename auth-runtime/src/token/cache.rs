//! The verified-token cache: a bounded map from the exact token text to the token it
//! verified as, so a repeated token skips signature verification and claim parsing.
//!
//! Only successes are cached. An entry is served only while its `exp` (plus leeway) has
//! not passed; expired entries are dropped when met and when a shard is full. The map is
//! split into shards, each behind its own lock, so concurrent requests rarely contend.
//! Revocation and every route requirement are checked by the caller on every request,
//! cached or not.

use std::{
    collections::HashMap,
    hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState},
    sync::Mutex,
};

use super::CurrentToken;

const SHARDS: usize = 16;

/// One lock's worth of the cache.
type Shard = Mutex<Entries>;

/// Where a token lives in the cache: a keyed hash of its text, computed once per request.
/// Entries store the token itself, so a hit is confirmed by comparing the whole text.
#[derive(Clone, Copy)]
pub(crate) struct CacheKey(u64);

#[derive(Default)]
struct Entries {
    tokens: HashMap<u64, CurrentToken, BuildHasherDefault<KeyHasher>>,
    /// When expired entries were last swept out (seconds): at most once a second, so a
    /// shard full of live tokens does not scan itself on every insert.
    last_sweep: u64,
}

/// The map's keys are already keyed SipHash outputs: hashing them again would only cost.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) struct TokenCache {
    shards: Box<[Shard]>,
    per_shard: usize,
    hasher: RandomState,
}

impl TokenCache {
    /// A cache holding at most `capacity` tokens; 0 turns it off.
    pub(crate) fn new(capacity: usize) -> Self {
        let shard_count = if capacity == 0 {
            0
        } else {
            SHARDS.min(capacity)
        };
        let per_shard = if capacity == 0 {
            0
        } else {
            capacity / shard_count
        };
        Self {
            shards: (0..shard_count).map(|_| Shard::default()).collect(),
            per_shard,
            hasher: RandomState::new(),
        }
    }

    /// The token's place in the cache, or `None` when the cache is off.
    ///
    /// Only the last 64 bytes are hashed: they are the signature, which differs between
    /// any two tokens a key has signed. Tokens that share them (a forgery reusing a real
    /// signature) share a key but never an entry: a hit compares the whole text, and a
    /// token that fails verification is never inserted.
    pub(crate) fn key(&self, token: &str) -> Option<CacheKey> {
        let tail = &token.as_bytes()[token.len().saturating_sub(64)..];
        (!self.shards.is_empty()).then(|| CacheKey(self.hasher.hash_one(tail)))
    }

    fn shard(&self, key: CacheKey) -> Option<&Shard> {
        // The high bits choose the shard; the map uses the whole hash.
        let index = ((key.0 >> 32) as usize) % self.shards.len().max(1);
        self.shards.get(index)
    }

    /// The cached token for exactly this text, unless it has expired by `now`.
    pub(crate) fn get(
        &self,
        key: CacheKey,
        token: &str,
        now: u64,
        leeway: u64,
    ) -> Option<CurrentToken> {
        let mut entries = self.shard(key)?.lock().unwrap_or_else(|p| p.into_inner());
        let hit = entries.tokens.get(&key.0)?;
        if hit.signed_token() != token {
            return None;
        }
        if hit.expires_at().saturating_add(leeway) < now {
            entries.tokens.remove(&key.0);
            return None;
        }
        Some(hit.clone())
    }

    /// Remembers a token that just verified.
    pub(crate) fn insert(&self, key: CacheKey, token: &CurrentToken, now: u64) {
        let Some(shard) = self.shard(key) else {
            return;
        };
        let mut entries = shard.lock().unwrap_or_else(|p| p.into_inner());
        if entries.tokens.len() >= self.per_shard && !entries.tokens.contains_key(&key.0) {
            if entries.last_sweep != now {
                entries.last_sweep = now;
                entries.tokens.retain(|_, t| t.expires_at() >= now);
            }
            if entries.tokens.len() >= self.per_shard {
                // Still full of live tokens: evict one. Keys are keyed hashes, so which
                // entry comes first is random and cannot be steered by an attacker.
                if let Some(victim) = entries.tokens.keys().next().copied() {
                    entries.tokens.remove(&victim);
                }
            }
        }
        entries.tokens.insert(key.0, token.clone());
    }

    /// How many tokens the cache holds now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|p| p.into_inner()).tokens.len())
            .sum()
    }

    /// The most tokens the cache can hold.
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> usize {
        self.per_shard * self.shards.len()
    }
}

#[cfg(test)]
mod tests {
    use jsonwebtoken::Algorithm;
    use serde_json::Map;

    use super::*;
    use crate::token::{TokenKind, claims::Verified};

    impl TokenCache {
        fn get_text(&self, token: &str, now: u64, leeway: u64) -> Option<CurrentToken> {
            self.get(self.key(token)?, token, now, leeway)
        }

        fn insert_token(&self, token: &CurrentToken, now: u64) {
            if let Some(key) = self.key(token.signed_token()) {
                self.insert(key, token, now);
            }
        }
    }

    fn token(text: &str, expires_at: u64) -> CurrentToken {
        CurrentToken::new(Verified {
            signed: text.into(),
            kind: TokenKind::Auth,
            claims: Map::new(),
            expires_at,
            issued_at: 0,
            algorithm: Algorithm::HS256,
            kid: None,
        })
    }

    #[test]
    fn a_hit_needs_the_exact_token_text() {
        let cache = TokenCache::new(64);
        cache.insert_token(&token("aaa.bbb.ccc", 100), 0);
        assert!(cache.get_text("aaa.bbb.ccc", 50, 0).is_some());
        assert!(cache.get_text("aaa.bbb.ccd", 50, 0).is_none());
        assert!(cache.get_text("aaa.bbb.cc", 50, 0).is_none());
        assert!(cache.get_text("aaa.bbb.ccc ", 50, 0).is_none());
    }

    #[test]
    fn a_hash_collision_is_never_served_as_a_hit() {
        let cache = TokenCache::new(64);
        let key = cache.key("aaa.bbb.ccc").unwrap();
        // Another token stored under the same key, as a collision would.
        cache.insert(key, &token("xxx.yyy.zzz", 100), 0);
        assert!(cache.get(key, "aaa.bbb.ccc", 50, 0).is_none());
        assert!(cache.get(key, "xxx.yyy.zzz", 50, 0).is_some());
    }

    #[test]
    fn an_expired_entry_is_never_served_and_is_dropped() {
        let cache = TokenCache::new(64);
        cache.insert_token(&token("t", 100), 0);
        assert!(cache.get_text("t", 100, 0).is_some());
        assert!(cache.get_text("t", 101, 0).is_none());
        assert_eq!(cache.len(), 0);
        cache.insert_token(&token("t", 100), 0);
        assert!(
            cache.get_text("t", 105, 5).is_some(),
            "leeway extends the entry"
        );
        assert!(cache.get_text("t", 106, 5).is_none());
    }

    #[test]
    fn a_flood_of_distinct_tokens_stays_within_the_bound() {
        let cache = TokenCache::new(100);
        for i in 0..10_000 {
            cache.insert_token(&token(&format!("token-{i}"), u64::MAX), 0);
            assert!(cache.len() <= cache.capacity());
        }
        assert!(cache.capacity() <= 100);
        assert!(cache.len() > 0);
        // The newest token is always kept.
        assert!(cache.get_text("token-9999", 0, 0).is_some());
    }

    #[test]
    fn expired_entries_make_room_before_live_ones_are_evicted() {
        let cache = TokenCache::new(1);
        assert_eq!(cache.capacity(), 1);
        cache.insert_token(&token("old", 10), 0);
        cache.insert_token(&token("live", 1000), 20);
        assert_eq!(cache.len(), 1);
        assert!(cache.get_text("live", 20, 0).is_some());
        cache.insert_token(&token("newer", 1000), 20);
        assert_eq!(cache.len(), 1, "a full cache of live tokens evicts one");
        assert!(cache.get_text("newer", 20, 0).is_some());
    }

    #[test]
    fn capacity_zero_turns_the_cache_off() {
        let cache = TokenCache::new(0);
        cache.insert_token(&token("t", 100), 0);
        assert!(cache.get_text("t", 0, 0).is_none());
        assert_eq!(cache.len(), 0);
    }
}
