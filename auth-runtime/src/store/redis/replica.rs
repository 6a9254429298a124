//! A local replica of the revoked set, kept current through Redis pub/sub, so a guard
//! checks revocations without a round trip to Redis.
//!
//! Every revocation is one `MULTI { SET rev:<key> <until> EXAT <until>; PUBLISH }`. Each
//! instance subscribes, then loads what is already revoked (`SCAN` + `MGET`), then
//! publishes a heartbeat every [`HEARTBEAT`] on the same channel. Redis delivers a
//! channel's messages in the order it executed the `PUBLISH`es, so when an instance
//! receives its own heartbeat sent at `t`, it has received every revocation acknowledged
//! before `t`. The replica answers only while its last confirmed heartbeat is younger
//! than [`STALENESS`]; otherwise (starting, Redis away, a slow subscriber) the store asks
//! Redis itself, which answers or fails (503). A revocation is thus refused on every
//! instance within [`STALENESS`] plus one heartbeat.

use std::{
    collections::HashMap,
    sync::{
        Arc, RwLock, Weak,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use futures_util::StreamExt;
use redis::{AsyncCommands, Client, aio::ConnectionManager};

use crate::store::{StoreKey, now};

/// How often each instance confirms its subscription.
const HEARTBEAT: Duration = Duration::from_millis(100);
/// How old the last confirmed heartbeat may be for the replica to answer.
const STALENESS: Duration = Duration::from_millis(500);

/// The replica an instance's `RedisStore` keeps.
#[derive(Default)]
pub(super) struct Replica {
    revoked: RwLock<HashMap<String, u64>>,
    /// When the last heartbeat that came back was sent, in ms since the epoch (0: never).
    confirmed_at: AtomicU64,
    started: AtomicBool,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Replica {
    /// Whether any of `keys` is revoked, if the replica is current enough to say.
    pub(super) fn any_revoked(&self, keys: &[StoreKey]) -> Option<bool> {
        let confirmed = self.confirmed_at.load(Ordering::Acquire);
        let staleness = u64::try_from(STALENESS.as_millis()).unwrap_or(u64::MAX);
        if confirmed == 0 || now_ms().saturating_sub(confirmed) > staleness {
            return None;
        }
        let now = now();
        let revoked = self.revoked.read().unwrap_or_else(|p| p.into_inner());
        Some(
            keys.iter()
                .any(|k| revoked.get(k.as_str()).is_some_and(|until| *until >= now)),
        )
    }

    /// Records a revocation this instance made (the message will come too).
    pub(super) fn insert(&self, key: String, until: u64) {
        let mut revoked = self.revoked.write().unwrap_or_else(|p| p.into_inner());
        let entry = revoked.entry(key).or_insert(until);
        *entry = (*entry).max(until);
    }

    fn purge(&self) {
        let now = now();
        let mut revoked = self.revoked.write().unwrap_or_else(|p| p.into_inner());
        revoked.retain(|_, until| *until >= now);
    }

    /// Whether the following task has been started.
    pub(super) fn is_started(&self) -> bool {
        self.started.load(Ordering::Relaxed)
    }

    /// Starts the task that keeps the replica current, once. It ends when the store is
    /// dropped.
    pub(super) fn start(
        self: &Arc<Self>,
        client: Client,
        connection: ConnectionManager,
        keys: Keys,
    ) {
        if self.started.swap(true, Ordering::AcqRel) {
            return;
        }
        tokio::spawn(follow(Arc::downgrade(self), client, connection, keys));
    }
}

/// The names the replica reads and writes.
#[derive(Clone)]
pub(super) struct Keys {
    /// The channel revocations and heartbeats go through.
    pub(super) channel: String,
    /// The prefix of revocation keys (`<prefix>rev:`).
    pub(super) revoked: String,
}

/// A revocation message: `<key> <until>`; a heartbeat: `hb <instance> <sent ms>`.
pub(super) fn message(key: &str, until: u64) -> String {
    format!("{key} {until}")
}

async fn follow(replica: Weak<Replica>, client: Client, connection: ConnectionManager, keys: Keys) {
    let instance = crate::token::new_id().unwrap_or_else(|_| format!("{:x}", now_ms()));
    loop {
        if replica.strong_count() == 0 {
            return;
        }
        if let Err(error) =
            subscribe_and_follow(&replica, &client, connection.clone(), &keys, &instance).await
        {
            tracing::debug!(%error, "revocation replica lost its subscription; reconnecting");
        }
        if let Some(replica) = replica.upgrade() {
            replica.confirmed_at.store(0, Ordering::Release);
        }
        tokio::time::sleep(HEARTBEAT * 2).await;
    }
}

async fn subscribe_and_follow(
    replica: &Weak<Replica>,
    client: &Client,
    mut connection: ConnectionManager,
    keys: &Keys,
    instance: &str,
) -> redis::RedisResult<()> {
    let budget = STALENESS;
    let mut pubsub = tokio::time::timeout(budget, client.get_async_pubsub())
        .await
        .map_err(|_| timeout())??;
    tokio::time::timeout(budget, pubsub.subscribe(&keys.channel))
        .await
        .map_err(|_| timeout())??;
    load_snapshot(replica, &mut connection, keys).await?;
    let mut messages = pubsub.into_on_message();
    let mut beat = tokio::time::interval(HEARTBEAT);
    let mut last_purge = now();
    loop {
        tokio::select! {
            _ = beat.tick() => {
                let Some(replica) = replica.upgrade() else { return Ok(()) };
                let sent = now_ms();
                let heartbeat = format!("hb {instance} {sent}");
                tokio::time::timeout(budget, connection.publish::<_, _, ()>(&keys.channel, heartbeat))
                    .await
                    .map_err(|_| timeout())??;
                if now() > last_purge {
                    replica.purge();
                    last_purge = now();
                }
            }
            message = messages.next() => {
                let Some(message) = message else {
                    return Err(redis::RedisError::from((redis::ErrorKind::Io, "subscription closed")));
                };
                let Some(replica) = replica.upgrade() else { return Ok(()) };
                let payload: String = message.get_payload().unwrap_or_default();
                apply(&replica, &payload, instance);
            }
        }
    }
}

fn apply(replica: &Replica, payload: &str, instance: &str) {
    let mut parts = payload.split(' ');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("hb"), Some(from), Some(sent)) if from == instance => {
            if let Ok(sent) = sent.parse::<u64>() {
                replica.confirmed_at.fetch_max(sent, Ordering::AcqRel);
            }
        }
        (Some("hb"), _, _) => {}
        (Some(key), Some(until), None) => {
            if let (Some(_), Ok(until)) = (StoreKey::from_stored(key), until.parse()) {
                replica.insert(key.to_owned(), until);
            }
        }
        _ => {}
    }
}

/// Loads every revocation already in Redis.
async fn load_snapshot(
    replica: &Weak<Replica>,
    connection: &mut ConnectionManager,
    keys: &Keys,
) -> redis::RedisResult<()> {
    let pattern = format!("{}*", keys.revoked);
    let mut cursor: u64 = 0;
    loop {
        let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(&pattern)
            .arg("COUNT")
            .arg(1000)
            .query_async(connection)
            .await?;
        if !batch.is_empty() {
            let values: Vec<Option<u64>> = connection.mget(&batch).await?;
            let Some(replica) = replica.upgrade() else {
                return Ok(());
            };
            for (key, until) in batch.iter().zip(values) {
                if let (Some(id), Some(until)) = (key.strip_prefix(&keys.revoked), until) {
                    replica.insert(id.to_owned(), until);
                }
            }
        }
        if next == 0 {
            return Ok(());
        }
        cursor = next;
    }
}

fn timeout() -> redis::RedisError {
    redis::RedisError::from((redis::ErrorKind::Io, "timed out"))
}
