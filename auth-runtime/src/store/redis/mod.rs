//! [`RedisStore`] (feature `redis`): revocations and refresh families in Redis, shared by
//! every instance that points at it.
//!
//! Layout, under a prefix (default `auth:`): `rev:<key>` is a revoked token or family
//! (`SET … EXAT <until>`), `fam:<key>` a refresh family (a hash `cur`, `prev`,
//! `prev_until_ms`, expiring with the family). Keys are [`StoreKey`]s, so no token text
//! ever becomes key material. A rotation is one Lua script, atomic across instances, and
//! reads Redis's clock (`TIME`) for the grace window, so instances need not agree on the
//! time.
//!
//! Revocation checks are answered from a local replica kept current through pub/sub
//! (`replica`), so a guarded route costs no round trip to Redis; while the replica is not
//! current (starting, reconnecting) each check asks Redis itself. A revocation is refused
//! on every instance within a second.
//!
//! The connection is made on first use, so the application starts while Redis is down
//! (its requests answer 503 until Redis is back), and it reconnects by itself. Use a Redis
//! with persistence and `maxmemory-policy noeviction`: an evicted or lost revocation
//! brings a revoked token back.

mod replica;

use std::{sync::Arc, time::Duration};

use redis::{AsyncCommands, Client, Script, aio::ConnectionManager};
use tokio::sync::OnceCell;

use self::replica::{Keys, Replica, message};

use super::{Rotation, StoreError, StoreKey, TokenStore};
use crate::config::ConfigError;

/// Settings of a [`RedisStore`].
#[derive(Debug, Clone)]
pub struct RedisOptions {
    prefix: String,
    timeout: Duration,
}

impl Default for RedisOptions {
    fn default() -> Self {
        Self {
            prefix: "auth:".to_owned(),
            timeout: Duration::from_millis(250),
        }
    }
}

impl RedisOptions {
    /// The prefix of every key (default `auth:`), to share a Redis with other data.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How long to wait for a connection or an answer (default 250 ms). The manager's
    /// own budget ([`store_budget`](crate::AuthManagerBuilder::store_budget)) bounds each
    /// call as well.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Revocations and refresh families in Redis, shared by every instance that points at it.
///
/// Keys live under a prefix (default `auth:`) and are [`StoreKey`]s, so no token text
/// becomes key material. A rotation is one Lua script, atomic across instances. Revocation
/// checks are answered by a local replica kept current through pub/sub (no round trip per
/// request; a revocation reaches every instance within a second). The connection is made
/// on first use, so the application starts while Redis is down, and it reconnects by
/// itself. Run Redis with persistence and `maxmemory-policy noeviction`: a revocation that
/// Redis loses or evicts brings its token back.
///
/// ```no_run
/// # fn main() -> Result<(), auth_runtime::ConfigError> {
/// use auth_runtime::{AuthManager, store::RedisStore};
/// # let key = auth_runtime::Key::hmac(auth_runtime::Algorithm::HS256, [7u8; 32])?;
/// let manager = AuthManager::builder()
///     .issuer("my-service")
///     .signing_key(key)
///     .store(RedisStore::new("redis://127.0.0.1:6379/")?)
///     .build()?;
/// # Ok(()) }
/// ```
pub struct RedisStore {
    client: Client,
    connection: OnceCell<ConnectionManager>,
    options: RedisOptions,
    rotate: Script,
    replica: Arc<Replica>,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: show only where it points.
        f.debug_struct("RedisStore")
            .field(
                "addr",
                &self.client.get_connection_info().addr().to_string(),
            )
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Spends a refresh token of a family. KEYS: the family hash, the family's revocation
/// key, the revocation channel. ARGV: presented, next, grace in ms, the family's store
/// key. A reuse revokes the family for as long as it had to live, and says so on the
/// channel.
const ROTATE: &str = r#"
if redis.call('EXISTS', KEYS[2]) == 1 then return {'unknown'} end
local cur = redis.call('HGET', KEYS[1], 'cur')
if not cur then return {'unknown'} end
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if cur == ARGV[1] then
  redis.call('HSET', KEYS[1], 'cur', ARGV[2], 'prev', ARGV[1], 'prev_until_ms', now_ms + tonumber(ARGV[3]))
  return {'rotated', ARGV[2]}
end
local prev = redis.call('HGET', KEYS[1], 'prev')
local prev_until = tonumber(redis.call('HGET', KEYS[1], 'prev_until_ms') or '0')
if prev == ARGV[1] and now_ms < prev_until then
  return {'rotated', cur}
end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 1 then ttl = 1 end
local untl = tonumber(t[1]) + ttl
redis.call('SET', KEYS[2], untl, 'EXAT', untl)
redis.call('PUBLISH', KEYS[3], ARGV[4] .. ' ' .. untl)
redis.call('DEL', KEYS[1])
return {'reused', tostring(untl)}
"#;

impl RedisStore {
    /// A store on the Redis at `url` (`redis://[:password@]host:port/db`,
    /// `rediss://…` is not built in), with the default [`RedisOptions`]. Nothing is
    /// connected until the first call.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming `redis_url` when the URL cannot be read.
    pub fn new(url: &str) -> Result<Self, ConfigError> {
        Self::with_options(url, RedisOptions::default())
    }

    /// A store on the Redis at `url` with `options`.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming `redis_url` when the URL cannot be read.
    pub fn with_options(url: &str, options: RedisOptions) -> Result<Self, ConfigError> {
        let client = Client::open(url)
            .map_err(|e| ConfigError::invalid("redis_url", format!("not a Redis URL: {e}")))?;
        Ok(Self {
            client,
            connection: OnceCell::new(),
            options,
            rotate: Script::new(ROTATE),
            replica: Arc::new(Replica::default()),
        })
    }

    async fn connection(&self) -> Result<ConnectionManager, StoreError> {
        self.connection
            .get_or_try_init(|| async {
                let config = redis::aio::ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(self.options.timeout))
                    .set_response_timeout(Some(self.options.timeout))
                    .set_number_of_retries(1)
                    .set_max_delay(Duration::from_millis(200));
                ConnectionManager::new_lazy_with_config(self.client.clone(), config)
                    .map_err(unavailable)
            })
            .await
            .cloned()
    }

    fn key(&self, kind: &str, key: &StoreKey) -> String {
        format!("{}{kind}:{}", self.options.prefix, key.as_str())
    }

    fn channel(&self) -> String {
        format!("{}revocations", self.options.prefix)
    }

    /// The connection, with the replica following revocations from now on.
    async fn following(&self) -> Result<ConnectionManager, StoreError> {
        let connection = self.connection().await?;
        if !self.replica.is_started() {
            let keys = Keys {
                channel: self.channel(),
                revoked: format!("{}rev:", self.options.prefix),
            };
            self.replica
                .start(self.client.clone(), connection.clone(), keys);
        }
        Ok(connection)
    }
}

fn unavailable(error: redis::RedisError) -> StoreError {
    if error.is_timeout() {
        StoreError::Timeout
    } else {
        StoreError::Unavailable(error.to_string())
    }
}

impl TokenStore for RedisStore {
    async fn revoke(&self, id: &StoreKey, until: u64) -> Result<(), StoreError> {
        if until < super::now() {
            // Already over: nothing a revocation could still refuse.
            return Ok(());
        }
        let mut connection = self.following().await?;
        redis::pipe()
            .atomic()
            .cmd("SET")
            .arg(self.key("rev", id))
            .arg(until)
            .arg("EXAT")
            .arg(until)
            .ignore()
            .publish(self.channel(), message(id.as_str(), until))
            .ignore()
            .query_async::<()>(&mut connection)
            .await
            .map_err(unavailable)?;
        self.replica.insert(id.as_str().to_owned(), until);
        Ok(())
    }

    async fn any_revoked(&self, ids: &[StoreKey]) -> Result<bool, StoreError> {
        if ids.is_empty() {
            return Ok(false);
        }
        let mut connection = self.following().await?;
        if let Some(revoked) = self.replica.any_revoked(ids) {
            return Ok(revoked);
        }
        let keys: Vec<String> = ids.iter().map(|id| self.key("rev", id)).collect();
        let found: u64 = connection.exists(keys).await.map_err(unavailable)?;
        Ok(found > 0)
    }

    async fn begin_family(
        &self,
        family: &StoreKey,
        current: &StoreKey,
        until: u64,
    ) -> Result<(), StoreError> {
        let mut connection = self.connection().await?;
        let key = self.key("fam", family);
        redis::pipe()
            .atomic()
            .hset(&key, "cur", current.as_str())
            .ignore()
            .expire_at(&key, until.max(1) as i64)
            .ignore()
            .query_async::<()>(&mut connection)
            .await
            .map_err(unavailable)
    }

    async fn rotate(
        &self,
        family: &StoreKey,
        presented: &StoreKey,
        next: &StoreKey,
        grace: Duration,
    ) -> Result<Rotation, StoreError> {
        let mut connection = self.following().await?;
        let family_key = self.key("fam", family);
        let answer: Vec<String> = self
            .rotate
            .key(&family_key)
            .key(self.key("rev", family))
            .key(self.channel())
            .arg(presented.as_str())
            .arg(next.as_str())
            .arg(u64::try_from(grace.as_millis()).unwrap_or(u64::MAX))
            .arg(family.as_str())
            .invoke_async(&mut connection)
            .await
            .map_err(unavailable)?;
        match answer.as_slice() {
            [verdict, successor] if verdict == "rotated" => StoreKey::from_stored(successor)
                .map(|successor| Rotation::Rotated { successor })
                .ok_or_else(|| StoreError::Corrupt("a family's current token id".to_owned())),
            [verdict, until] if verdict == "reused" => {
                // This instance knows at once; the others through the channel.
                if let Ok(until) = until.parse() {
                    self.replica.insert(family.as_str().to_owned(), until);
                }
                Ok(Rotation::Reused)
            }
            [verdict] if verdict == "unknown" => Ok(Rotation::Unknown),
            _ => Err(StoreError::Corrupt(
                "the rotation script's answer".to_owned(),
            )),
        }
    }

    async fn put_record(&self, key: &StoreKey, record: &str, until: u64) -> Result<(), StoreError> {
        if until < super::now() {
            return Ok(());
        }
        let mut connection = self.connection().await?;
        redis::cmd("SET")
            .arg(self.key("rec", key))
            .arg(record)
            .arg("EXAT")
            .arg(until.max(1))
            .query_async::<()>(&mut connection)
            .await
            .map_err(unavailable)
    }

    async fn get_record(&self, key: &StoreKey) -> Result<Option<String>, StoreError> {
        let mut connection = self.connection().await?;
        connection
            .get(self.key("rec", key))
            .await
            .map_err(unavailable)
    }

    async fn remove_record(&self, key: &StoreKey) -> Result<bool, StoreError> {
        let mut connection = self.connection().await?;
        let removed: u64 = connection
            .del(self.key("rec", key))
            .await
            .map_err(unavailable)?;
        Ok(removed > 0)
    }
}
