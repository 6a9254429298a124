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
    hash::{BuildHasher, RandomState},
    sync::Mutex,
};

use crate::CurrentToken;

const SHARDS: usize = 16;

/// One lock's worth of the cache.
type Shard = Mutex<HashMap<Box<str>, CurrentToken>>;

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
            shards: (0..shard_count)
                .map(|_| Mutex::new(HashMap::new()))
                .collect(),
            per_shard,
            hasher: RandomState::new(),
        }
    }

    fn shard(&self, token: &str) -> Option<&Shard> {
        if self.shards.is_empty() {
            return None;
        }
        let index = (self.hasher.hash_one(token) as usize) % self.shards.len();
        self.shards.get(index)
    }

    /// The cached token for exactly this text, unless it has expired by `now`.
    pub(crate) fn get(&self, token: &str, now: u64, leeway: u64) -> Option<CurrentToken> {
        let shard = self.shard(token)?;
        let mut map = shard.lock().unwrap_or_else(|p| p.into_inner());
        let hit = map.get(token)?;
        if hit.expires_at().saturating_add(leeway) < now {
            map.remove(token);
            return None;
        }
        Some(hit.clone())
    }

    /// Remembers a token that just verified.
    pub(crate) fn insert(&self, token: &CurrentToken, now: u64) {
        let Some(shard) = self.shard(token.signed_token()) else {
            return;
        };
        let mut map = shard.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= self.per_shard {
            map.retain(|_, t| t.expires_at() >= now);
        }
        if map.len() >= self.per_shard {
            // Still full of live tokens: evict one. HashMap order is randomised per
            // process, so this is a random eviction that an attacker cannot steer.
            if let Some(victim) = map.keys().next().cloned() {
                map.remove(&victim);
            }
        }
        map.insert(token.signed_token().into(), token.clone());
    }

    /// How many tokens the cache holds now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|p| p.into_inner()).len())
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
    use crate::{TokenKind, claims::Verified};

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
        cache.insert(&token("aaa.bbb.ccc", 100), 0);
        assert!(cache.get("aaa.bbb.ccc", 50, 0).is_some());
        assert!(cache.get("aaa.bbb.ccd", 50, 0).is_none());
        assert!(cache.get("aaa.bbb.cc", 50, 0).is_none());
        assert!(cache.get("aaa.bbb.ccc ", 50, 0).is_none());
    }

    #[test]
    fn an_expired_entry_is_never_served_and_is_dropped() {
        let cache = TokenCache::new(64);
        cache.insert(&token("t", 100), 0);
        assert!(cache.get("t", 100, 0).is_some());
        assert!(cache.get("t", 101, 0).is_none());
        assert_eq!(cache.len(), 0);
        cache.insert(&token("t", 100), 0);
        assert!(cache.get("t", 105, 5).is_some(), "leeway extends the entry");
        assert!(cache.get("t", 106, 5).is_none());
    }

    #[test]
    fn a_flood_of_distinct_tokens_stays_within_the_bound() {
        let cache = TokenCache::new(100);
        for i in 0..10_000 {
            cache.insert(&token(&format!("token-{i}"), u64::MAX), 0);
            assert!(cache.len() <= cache.capacity());
        }
        assert!(cache.capacity() <= 100);
        assert!(cache.len() > 0);
        // The newest token is always kept.
        assert!(cache.get("token-9999", 0, 0).is_some());
    }

    #[test]
    fn expired_entries_make_room_before_live_ones_are_evicted() {
        let cache = TokenCache::new(1);
        assert_eq!(cache.capacity(), 1);
        cache.insert(&token("old", 10), 0);
        cache.insert(&token("live", 1000), 20);
        assert_eq!(cache.len(), 1);
        assert!(cache.get("live", 20, 0).is_some());
        cache.insert(&token("newer", 1000), 20);
        assert_eq!(cache.len(), 1, "a full cache of live tokens evicts one");
        assert!(cache.get("newer", 20, 0).is_some());
    }

    #[test]
    fn capacity_zero_turns_the_cache_off() {
        let cache = TokenCache::new(0);
        cache.insert(&token("t", 100), 0);
        assert!(cache.get("t", 0, 0).is_none());
        assert_eq!(cache.len(), 0);
    }
}
