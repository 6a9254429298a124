//! Token state shared by every instance: revocation (logout), refresh-token families
//! with rotation and reuse detection (RFC 9700 §4.14), and the records of opaque tokens
//! and API keys, behind one async trait, [`TokenStore`].
//!
//! Two implementations ship: [`MemoryStore`] (the default: one process, nothing to
//! install, bounded) and `RedisStore` (feature `redis`: every instance sharing one Redis).
//! Implement [`TokenStore`] for your own database; the conformance suite in the
//! repository's tests shows what each method must do.
//!
//! Every call the library makes runs under a time budget (250 ms by default). A store that
//! fails or runs over answers **503** `temporarily_unavailable` with `Retry-After`: never
//! 200 (nothing is accepted that the store could not clear) and never 500.
//!
//! May use: `token`, `error`, `config::ConfigError`. Never `manager` or `request`.

mod budget;
mod key;
mod memory;
#[cfg(feature = "redis")]
mod redis;

use std::{fmt, future::Future, time::Duration};

pub(crate) use self::budget::Store;
#[cfg(feature = "redis")]
pub use self::redis::{RedisOptions, RedisStore};
pub use self::{
    key::StoreKey,
    memory::{DEFAULT_MEMORY_CAPACITY, MemoryStore},
};

/// Why a store could not answer. Every variant makes the request answer 503.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum StoreError {
    /// The call ran over the store's time budget.
    Timeout,
    /// The store refused the call or could not be reached (connection refused, I/O,
    /// protocol, out of memory).
    Unavailable(String),
    /// The store is full and cannot record more without forgetting a revocation (the
    /// in-memory store's bound).
    Full,
    /// A record in the store could not be read back.
    Corrupt(String),
    /// A remote service that vouches for credentials (an RFC 7662 introspection
    /// endpoint) failed, refused this service's own credentials or answered out of
    /// protocol.
    Upstream(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout => f.write_str("the token store did not answer within its time budget"),
            Self::Unavailable(why) => write!(f, "the token store is unavailable: {why}"),
            Self::Full => f.write_str(
                "the token store is full of unexpired revocations and cannot record another",
            ),
            Self::Corrupt(why) => write!(f, "the token store holds an unreadable record: {why}"),
            Self::Upstream(why) => write!(f, "the credential service is unavailable: {why}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// What [`TokenStore::rotate`] did with a presented refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rotation {
    /// The presented token was the family's current one (or the one before it, within the
    /// grace window). The new refresh token carries `successor` as its id.
    Rotated {
        /// The id (`jti`) the new refresh token must carry.
        successor: StoreKey,
    },
    /// The presented token was spent before (outside the grace window): the whole family is
    /// now revoked, refresh and auth tokens alike.
    Reused,
    /// The family is unknown, expired or revoked.
    Unknown,
}

/// Revocations and refresh families, shared by every instance that uses the same store.
///
/// Ids are [`StoreKey`]s: short, of a fixed alphabet, safe as key material, whatever the
/// token carried. Times are seconds since the Unix epoch; a store may forget an entry
/// once its time has passed, never before.
pub trait TokenStore: Send + Sync + 'static {
    /// Records that `id` (a token or a family, see [`StoreKey`]) is revoked until `until`.
    fn revoke(
        &self,
        id: &StoreKey,
        until: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Whether any of `ids` is revoked.
    fn any_revoked(
        &self,
        ids: &[StoreKey],
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Starts a refresh family whose current refresh token is `current`; the family lives
    /// until `until`.
    fn begin_family(
        &self,
        family: &StoreKey,
        current: &StoreKey,
        until: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Spends `presented` in `family`, atomically across instances:
    ///
    /// - `presented` is the current token: `next` becomes current, `presented` stays
    ///   acceptable for `grace` (a lost response, a second tab), answer
    ///   [`Rotation::Rotated`] with `next`;
    /// - `presented` is the previous token, within `grace`: nothing changes, answer
    ///   [`Rotation::Rotated`] with the current token's id (the same successor again);
    /// - any other token of a live family: revoke the family ([`revoke`](Self::revoke) of
    ///   [`StoreKey::family`] until the family's end) and answer [`Rotation::Reused`];
    /// - an unknown or revoked family: [`Rotation::Unknown`].
    fn rotate(
        &self,
        family: &StoreKey,
        presented: &StoreKey,
        next: &StoreKey,
        grace: Duration,
    ) -> impl Future<Output = Result<Rotation, StoreError>> + Send;

    /// Keeps `record` (JSON text) under `key` until `until`, replacing what was there.
    fn put_record(
        &self,
        key: &StoreKey,
        record: &str,
        until: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        let _ = (key, record, until);
        no_records()
    }

    /// The record under `key`, if one is there and its time has not passed.
    fn get_record(
        &self,
        key: &StoreKey,
    ) -> impl Future<Output = Result<Option<String>, StoreError>> + Send {
        let _ = key;
        no_records()
    }

    /// Removes the record under `key`; whether there was one.
    fn remove_record(
        &self,
        key: &StoreKey,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        let _ = key;
        no_records()
    }
}

/// What a store that keeps no records answers to every record call.
fn no_records<T>() -> std::future::Ready<Result<T, StoreError>> {
    std::future::ready(Err(StoreError::Unavailable(
        "this store keeps no records".to_owned(),
    )))
}

/// Seconds since the Unix epoch, as tokens count time.
pub(crate) fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

/// A shared store is a store: keep an `Arc` to a store you also use elsewhere (two
/// managers in one process, or your own admin code).
impl<T: TokenStore> TokenStore for std::sync::Arc<T> {
    fn revoke(
        &self,
        id: &StoreKey,
        until: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        T::revoke(self, id, until)
    }

    fn any_revoked(
        &self,
        ids: &[StoreKey],
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        T::any_revoked(self, ids)
    }

    fn begin_family(
        &self,
        family: &StoreKey,
        current: &StoreKey,
        until: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        T::begin_family(self, family, current, until)
    }

    fn rotate(
        &self,
        family: &StoreKey,
        presented: &StoreKey,
        next: &StoreKey,
        grace: Duration,
    ) -> impl Future<Output = Result<Rotation, StoreError>> + Send {
        T::rotate(self, family, presented, next, grace)
    }

    fn put_record(
        &self,
        key: &StoreKey,
        record: &str,
        until: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        T::put_record(self, key, record, until)
    }

    fn get_record(
        &self,
        key: &StoreKey,
    ) -> impl Future<Output = Result<Option<String>, StoreError>> + Send {
        T::get_record(self, key)
    }

    fn remove_record(
        &self,
        key: &StoreKey,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        T::remove_record(self, key)
    }
}
