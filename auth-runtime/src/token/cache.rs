//! The verified-token cache: a bounded map from the exact token text to the token it
//! verified as, so a repeated token skips signature verification and claim parsing.
//!
//! Only successes are cached. An entry is served only while its `exp` (plus leeway) has
//! not passed; expired entries are dropped when met. The map is split into shards, each
//! behind its own lock, so concurrent requests rarely contend.
//!
//! A full shard makes room with CLOCK (second chance), O(1) amortised: entries sit in a
//! ring with a "used" bit that every hit sets; the hand clears used bits as it passes and
//! evicts the first entry that is expired or was not used since the hand last passed. Hot
//! tokens stay; tokens seen once go first; a new token is always admitted.
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
    /// Key to slot in `ring`.
    index: HashMap<u64, usize, BuildHasherDefault<KeyHasher>>,
    ring: Vec<Slot>,
    /// The CLOCK hand: the next slot to consider for eviction.
    hand: usize,
}

struct Slot {
    key: u64,
    token: CurrentToken,
    /// Set by a hit, cleared by the passing hand.
    used: bool,
}

impl Entries {
    fn remove(&mut self, slot: usize) {
        let removed = self.ring.swap_remove(slot);
        self.index.remove(&removed.key);
        if let Some(moved) = self.ring.get(slot) {
            self.index.insert(moved.key, slot);
        }
        if self.hand >= self.ring.len() {
            self.hand = 0;
        }
    }

    /// The slot the hand evicts: the first expired or unused one, clearing used bits on
    /// the way. Ends within two turns of the ring.
    fn victim(&mut self, now: u64) -> usize {
        loop {
            let slot = &mut self.ring[self.hand];
            if slot.token.expires_at() < now || !slot.used {
                return self.hand;
            }
            slot.used = false;
            self.hand = (self.hand + 1) % self.ring.len();
        }
    }
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
        let slot = *entries.index.get(&key.0)?;
        let hit = &mut entries.ring[slot];
        if hit.token.signed_token() != token {
            return None;
        }
        if hit.token.expires_at().saturating_add(leeway) < now {
            entries.remove(slot);
            return None;
        }
        hit.used = true;
        Some(hit.token.clone())
    }

    /// Remembers a token that just verified.
    pub(crate) fn insert(&self, key: CacheKey, token: &CurrentToken, now: u64) {
        let Some(shard) = self.shard(key) else {
            return;
        };
        let mut entries = shard.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = Slot {
            key: key.0,
            token: token.clone(),
            used: false,
        };
        if let Some(&slot) = entries.index.get(&key.0) {
            entries.ring[slot] = fresh;
        } else if entries.ring.len() < self.per_shard {
            let slot = entries.ring.len();
            entries.ring.push(fresh);
            entries.index.insert(key.0, slot);
        } else {
            let slot = entries.victim(now);
            let old = std::mem::replace(&mut entries.ring[slot], fresh);
            entries.index.remove(&old.key);
            entries.index.insert(key.0, slot);
            entries.hand = (slot + 1) % entries.ring.len();
        }
    }

    /// How many tokens the cache holds now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|p| p.into_inner()).ring.len())
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
            credential: crate::token::Credential::Jwt,
            algorithm: Some(Algorithm::HS256),
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

    /// A skewed workload: a few hot tokens used all the time among a stream of tokens seen
    /// once, many times the cache's size. The ideal (an oracle that knows the future) hits
    /// every hot request after the first; CLOCK must come close.
    #[test]
    fn hot_tokens_stay_while_a_stream_of_cold_ones_passes() {
        let cache = TokenCache::new(256);
        let hot: Vec<CurrentToken> = (0..32)
            .map(|i| token(&format!("hot-{i}"), u64::MAX))
            .collect();
        let (mut hot_requests, mut hot_hits) = (0u32, 0u32);
        for round in 0..2_000 {
            for t in &hot {
                hot_requests += 1;
                if cache.get_text(t.signed_token(), 0, 0).is_some() {
                    hot_hits += 1;
                } else {
                    cache.insert_token(t, 0);
                }
            }
            // Ten cold tokens per round: 20,000 in all, 78 times the capacity.
            for i in 0..10 {
                let cold = token(&format!("cold-{round}-{i}"), u64::MAX);
                assert!(cache.get_text(cold.signed_token(), 0, 0).is_none());
                cache.insert_token(&cold, 0);
            }
        }
        let ideal = hot_requests - 32;
        let rate = f64::from(hot_hits) / f64::from(ideal);
        assert!(
            rate > 0.99,
            "hot hit rate {rate:.4} of the ideal ({hot_hits}/{ideal})"
        );
        assert!(cache.len() <= cache.capacity());
    }

    #[test]
    fn a_working_set_larger_than_the_cache_still_admits_new_tokens() {
        let cache = TokenCache::new(64);
        for i in 0..1_000 {
            cache.insert_token(&token(&format!("t-{i}"), u64::MAX), 0);
        }
        // The last tokens seen are in; the first are long gone.
        let recent = (990..1_000)
            .filter(|i| cache.get_text(&format!("t-{i}"), 0, 0).is_some())
            .count();
        assert_eq!(recent, 10);
        assert!(cache.get_text("t-0", 0, 0).is_none());
    }

    #[test]
    fn capacity_zero_turns_the_cache_off() {
        let cache = TokenCache::new(0);
        cache.insert_token(&token("t", 100), 0);
        assert!(cache.get_text("t", 0, 0).is_none());
        assert_eq!(cache.len(), 0);
    }
}
