//! [`MemoryStore`]: the default [`TokenStore`], one process, nothing to install.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use super::{Rotation, StoreError, StoreKey, TokenStore, now};

/// How many revocations and families a [`MemoryStore`] holds by default.
pub const DEFAULT_MEMORY_CAPACITY: usize = 100_000;

/// Revocations and refresh families in this process's memory: the default store.
///
/// Right for one instance; several instances each have their own, so a logout on one is
/// not seen by the others (use `RedisStore`, feature `redis`). Entries go when their time
/// passes. The store is bounded: when it is full of entries that have not expired, a new
/// revocation is refused with [`StoreError::Full`] (503) rather than forgetting an old
/// one, which would bring a revoked token back.
#[derive(Debug)]
pub struct MemoryStore {
    state: Mutex<State>,
    capacity: usize,
}

#[derive(Debug, Default)]
struct State {
    revoked: HashMap<StoreKey, u64>,
    families: HashMap<StoreKey, Family>,
    records: HashMap<StoreKey, (String, u64)>,
    purged_at: u64,
}

#[derive(Debug)]
struct Family {
    current: StoreKey,
    /// The token spent last, and until when (milliseconds) it may be presented again.
    previous: Option<(StoreKey, u128)>,
    until: u64,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_MEMORY_CAPACITY)
    }
}

impl MemoryStore {
    /// A store holding at most [`DEFAULT_MEMORY_CAPACITY`] entries.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding at most `capacity` revocations and families together.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            state: Mutex::new(State::default()),
            capacity,
        }
    }

    /// How many entries the store holds now (expired ones included until purged).
    pub fn len(&self) -> usize {
        let state = self.lock();
        state.len()
    }

    /// Whether the store holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while the lock was held cannot leave the maps half-written (every
        // mutation is one insert or remove), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl State {
    fn len(&self) -> usize {
        self.revoked.len() + self.families.len() + self.records.len()
    }

    /// Drops what has expired, at most once a second, and always when `full` says so.
    fn purge(&mut self, now: u64, full: bool) {
        if full || now > self.purged_at {
            self.revoked.retain(|_, until| *until >= now);
            self.families.retain(|_, f| f.until >= now);
            self.records.retain(|_, (_, until)| *until >= now);
            self.purged_at = now;
        }
    }

    fn make_room(&mut self, capacity: usize, now: u64) -> Result<(), StoreError> {
        self.purge(now, false);
        if self.len() >= capacity {
            self.purge(now, true);
        }
        if self.len() >= capacity {
            return Err(StoreError::Full);
        }
        Ok(())
    }
}

fn now_millis() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

impl TokenStore for MemoryStore {
    async fn revoke(&self, id: &StoreKey, until: u64) -> Result<(), StoreError> {
        let now = now();
        if until < now {
            // Already over: nothing a revocation could still refuse.
            return Ok(());
        }
        let mut state = self.lock();
        if !state.revoked.contains_key(id) {
            state.make_room(self.capacity, now)?;
        }
        let entry = state.revoked.entry(id.clone()).or_insert(until);
        *entry = (*entry).max(until);
        Ok(())
    }

    async fn any_revoked(&self, ids: &[StoreKey]) -> Result<bool, StoreError> {
        let now = now();
        let state = self.lock();
        Ok(ids
            .iter()
            .any(|id| state.revoked.get(id).is_some_and(|until| *until >= now)))
    }

    async fn begin_family(
        &self,
        family: &StoreKey,
        current: &StoreKey,
        until: u64,
    ) -> Result<(), StoreError> {
        let now = now();
        let mut state = self.lock();
        state.make_room(self.capacity, now)?;
        state.families.insert(
            family.clone(),
            Family {
                current: current.clone(),
                previous: None,
                until,
            },
        );
        Ok(())
    }

    async fn rotate(
        &self,
        family: &StoreKey,
        presented: &StoreKey,
        next: &StoreKey,
        grace: Duration,
    ) -> Result<Rotation, StoreError> {
        let now = now();
        let now_ms = now_millis();
        let mut state = self.lock();
        if state.revoked.get(family).is_some_and(|until| *until >= now) {
            return Ok(Rotation::Unknown);
        }
        let Some(live) = state.families.get_mut(family).filter(|f| f.until >= now) else {
            return Ok(Rotation::Unknown);
        };
        if live.current == *presented {
            let spent = std::mem::replace(&mut live.current, next.clone());
            live.previous = Some((spent, now_ms + grace.as_millis()));
            return Ok(Rotation::Rotated {
                successor: next.clone(),
            });
        }
        if let Some((previous, until)) = &live.previous
            && previous == presented
            && now_ms < *until
        {
            return Ok(Rotation::Rotated {
                successor: live.current.clone(),
            });
        }
        // Reuse: revoke the whole family until its end. The family's own entry makes room
        // for the revocation, so this never fails for want of space.
        let until = live.until;
        state.families.remove(family);
        state.revoked.insert(family.clone(), until);
        Ok(Rotation::Reused)
    }

    async fn put_record(&self, key: &StoreKey, record: &str, until: u64) -> Result<(), StoreError> {
        let now = now();
        if until < now {
            return Ok(());
        }
        let mut state = self.lock();
        if !state.records.contains_key(key) {
            state.make_room(self.capacity, now)?;
        }
        state
            .records
            .insert(key.clone(), (record.to_owned(), until));
        Ok(())
    }

    async fn get_record(&self, key: &StoreKey) -> Result<Option<String>, StoreError> {
        let now = now();
        let state = self.lock();
        Ok(state
            .records
            .get(key)
            .filter(|(_, until)| *until >= now)
            .map(|(record, _)| record.clone()))
    }

    async fn remove_record(&self, key: &StoreKey) -> Result<bool, StoreError> {
        Ok(self.lock().records.remove(key).is_some())
    }
}
