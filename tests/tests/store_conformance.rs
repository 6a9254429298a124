//! One suite, every store: the in-memory store and Redis (a real `redis-server` the tests
//! start) must answer every case the same way, as `TokenStore`'s docs say.

mod common;

use std::{sync::Arc, time::Duration};

use auth_runtime::store::{
    MemoryStore, RedisOptions, RedisStore, Rotation, StoreError, StoreKey, TokenStore,
};
use common::*;

fn key(id: &str) -> StoreKey {
    StoreKey::token(id)
}

fn rotated(successor: &str) -> Rotation {
    Rotation::Rotated {
        successor: key(successor),
    }
}

async fn revocations_are_seen_until_their_time(store: Arc<impl TokenStore>) {
    let later = now() + 600;
    store.revoke(&key("a1"), later).await.unwrap();
    assert!(store.any_revoked(&[key("a1")]).await.unwrap());
    assert!(!store.any_revoked(&[key("a2")]).await.unwrap());
    assert!(store.any_revoked(&[key("a2"), key("a1")]).await.unwrap());
    assert!(!store.any_revoked(&[]).await.unwrap());
    // A token and a family with the same id are different entries.
    assert!(!store.any_revoked(&[StoreKey::family("a1")]).await.unwrap());
    // A revocation whose time is over refuses nothing.
    store.revoke(&key("a3"), now() - 5).await.unwrap();
    assert!(!store.any_revoked(&[key("a3")]).await.unwrap());
    // Hostile ids are keys like any other, and never collide with plain ones.
    for hostile in ["*", "x\r\nFLUSHALL", "a b", "{a1}", &"z".repeat(500)] {
        store.revoke(&key(hostile), later).await.unwrap();
        assert!(
            store.any_revoked(&[key(hostile)]).await.unwrap(),
            "{hostile:?}"
        );
    }
    assert!(!store.any_revoked(&[key("x")]).await.unwrap());
}

async fn a_family_rotates_and_a_reuse_revokes_it(store: Arc<impl TokenStore>) {
    let family = StoreKey::family("fam1");
    let grace = Duration::from_secs(10);
    store
        .begin_family(&family, &key("r1"), now() + 600)
        .await
        .unwrap();
    assert_eq!(
        store
            .rotate(&family, &key("r1"), &key("r2"), grace)
            .await
            .unwrap(),
        rotated("r2")
    );
    // Within the grace window the spent token gets the same successor.
    assert_eq!(
        store
            .rotate(&family, &key("r1"), &key("r3"), grace)
            .await
            .unwrap(),
        rotated("r2")
    );
    assert_eq!(
        store
            .rotate(&family, &key("r2"), &key("r4"), grace)
            .await
            .unwrap(),
        rotated("r4")
    );
    // r1 is two rotations old: a reuse, whatever the grace.
    assert_eq!(
        store
            .rotate(&family, &key("r1"), &key("r5"), grace)
            .await
            .unwrap(),
        Rotation::Reused
    );
    assert!(
        store
            .any_revoked(std::slice::from_ref(&family))
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .rotate(&family, &key("r4"), &key("r6"), grace)
            .await
            .unwrap(),
        Rotation::Unknown,
        "a revoked family rotates no more"
    );
    let unknown = StoreKey::family("never-begun");
    assert_eq!(
        store
            .rotate(&unknown, &key("x"), &key("y"), grace)
            .await
            .unwrap(),
        Rotation::Unknown
    );
}

async fn without_grace_a_spent_token_is_a_reuse(store: Arc<impl TokenStore>) {
    let family = StoreKey::family("fam2");
    store
        .begin_family(&family, &key("s1"), now() + 600)
        .await
        .unwrap();
    assert_eq!(
        store
            .rotate(&family, &key("s1"), &key("s2"), Duration::ZERO)
            .await
            .unwrap(),
        rotated("s2")
    );
    assert_eq!(
        store
            .rotate(&family, &key("s1"), &key("s3"), Duration::ZERO)
            .await
            .unwrap(),
        Rotation::Reused
    );
    assert!(store.any_revoked(&[family]).await.unwrap());
}

async fn racing_rotations_of_one_token_leave_one_live_successor(store: Arc<impl TokenStore>) {
    // Without grace: exactly one wins, the others detect the reuse.
    let family = StoreKey::family("race0");
    store
        .begin_family(&family, &key("c0"), now() + 600)
        .await
        .unwrap();
    let results = race(&store, &family, Duration::ZERO).await;
    let winners = results
        .iter()
        .filter(|r| matches!(r, Rotation::Rotated { .. }))
        .count();
    assert_eq!(winners, 1, "{results:?}");
    assert!(store.any_revoked(&[family]).await.unwrap());

    // With grace: every racer gets the same successor, so one chain stays live.
    let family = StoreKey::family("race1");
    store
        .begin_family(&family, &key("c0"), now() + 600)
        .await
        .unwrap();
    let results = race(&store, &family, Duration::from_secs(10)).await;
    let first = results[0].clone();
    assert!(matches!(first, Rotation::Rotated { .. }), "{results:?}");
    assert!(results.iter().all(|r| *r == first), "{results:?}");
}

async fn race(store: &Arc<impl TokenStore>, family: &StoreKey, grace: Duration) -> Vec<Rotation> {
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let (store, family) = (store.clone(), family.clone());
            tokio::spawn(async move {
                store
                    .rotate(&family, &key("c0"), &key(&format!("n{i}")), grace)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

async fn records_are_kept_until_their_time_and_removed(store: Arc<impl TokenStore>) {
    let digest = [7u8; 32];
    let opaque = StoreKey::opaque_token(&digest);
    let api_key = StoreKey::api_key("AbCdEfGhIjKlMnOp");
    assert_eq!(store.get_record(&opaque).await.unwrap(), None);
    store
        .put_record(&opaque, r#"{"sub":"1"}"#, now() + 600)
        .await
        .unwrap();
    store
        .put_record(&api_key, r#"{"sub":"bot"}"#, now() + 600)
        .await
        .unwrap();
    assert_eq!(
        store.get_record(&opaque).await.unwrap().as_deref(),
        Some(r#"{"sub":"1"}"#)
    );
    // A record replaces what was there; kinds of key never collide.
    store
        .put_record(&opaque, r#"{"sub":"2"}"#, now() + 600)
        .await
        .unwrap();
    assert_eq!(
        store.get_record(&opaque).await.unwrap().as_deref(),
        Some(r#"{"sub":"2"}"#)
    );
    assert_eq!(
        store
            .get_record(&StoreKey::token("AbCdEfGhIjKlMnOp"))
            .await
            .unwrap(),
        None
    );
    assert!(store.remove_record(&api_key).await.unwrap());
    assert!(!store.remove_record(&api_key).await.unwrap());
    assert_eq!(store.get_record(&api_key).await.unwrap(), None);
    // A record whose time has passed is gone.
    let short = StoreKey::opaque_token(&[8u8; 32]);
    store.put_record(&short, "{}", now() + 1).await.unwrap();
    assert!(store.get_record(&short).await.unwrap().is_some());
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(store.get_record(&short).await.unwrap(), None);
}

macro_rules! conformance {
    ($store:ident, $make:expr) => {
        mod $store {
            use super::*;

            #[tokio::test]
            async fn revocations_are_seen_until_their_time() {
                let Some((store, _server)) = $make else {
                    return;
                };
                super::revocations_are_seen_until_their_time(store).await;
            }

            #[tokio::test]
            async fn a_family_rotates_and_a_reuse_revokes_it() {
                let Some((store, _server)) = $make else {
                    return;
                };
                super::a_family_rotates_and_a_reuse_revokes_it(store).await;
            }

            #[tokio::test]
            async fn without_grace_a_spent_token_is_a_reuse() {
                let Some((store, _server)) = $make else {
                    return;
                };
                super::without_grace_a_spent_token_is_a_reuse(store).await;
            }

            #[tokio::test]
            async fn records_are_kept_until_their_time_and_removed() {
                let Some((store, _server)) = $make else {
                    return;
                };
                super::records_are_kept_until_their_time_and_removed(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn racing_rotations_of_one_token_leave_one_live_successor() {
                let Some((store, _server)) = $make else {
                    return;
                };
                super::racing_rotations_of_one_token_leave_one_live_successor(store).await;
            }
        }
    };
}

conformance!(memory, Some((Arc::new(MemoryStore::new()), ())));
conformance!(redis, redis_store());

fn redis_store() -> Option<(Arc<RedisStore>, RedisServer)> {
    let server = RedisServer::start()?;
    let store = RedisStore::with_options(&server.url(), RedisOptions::default().prefix("t:"))
        .expect("redis store");
    Some((Arc::new(store), server))
}

#[tokio::test]
async fn the_memory_store_refuses_rather_than_forget_a_revocation() {
    let store = MemoryStore::with_capacity(10);
    for i in 0..10 {
        store
            .revoke(&key(&format!("k{i}")), now() + 600)
            .await
            .unwrap();
    }
    assert!(matches!(
        store.revoke(&key("k10"), now() + 600).await,
        Err(StoreError::Full)
    ));
    assert_eq!(store.len(), 10);
    for i in 0..10 {
        assert!(store.any_revoked(&[key(&format!("k{i}"))]).await.unwrap());
    }
    // Revoking what is already revoked needs no room.
    store.revoke(&key("k3"), now() + 900).await.unwrap();
}

#[tokio::test]
async fn no_token_text_ever_becomes_a_redis_key() {
    let Some((store, server)) = redis_store() else {
        return;
    };
    for hostile in [
        "*",
        "x\r\nFLUSHALL",
        "a b",
        "{a1}",
        "é",
        &"z".repeat(500),
        "ok-id_1",
    ] {
        store.revoke(&key(hostile), now() + 600).await.unwrap();
        store
            .revoke(&StoreKey::family(hostile), now() + 600)
            .await
            .unwrap();
    }
    let client = ::redis::Client::open(server.url()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = ::redis::cmd("KEYS")
        .arg("*")
        .query_async(&mut connection)
        .await
        .unwrap();
    assert_eq!(keys.len(), 14, "{keys:?}");
    for key in keys {
        let rest = key
            .strip_prefix("t:rev:")
            .unwrap_or_else(|| panic!("{key:?}"));
        let plain = rest.len() <= 66
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.#".contains(&b));
        assert!(plain, "{key:?}");
    }
}

/// How many times Redis has run `command` so far.
async fn calls(connection: &mut ::redis::aio::MultiplexedConnection, command: &str) -> u64 {
    let info: String = ::redis::cmd("INFO")
        .arg("commandstats")
        .query_async(connection)
        .await
        .unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("cmdstat_{command}:calls=")))
        .and_then(|rest| rest.split(',').next())
        .map_or(0, |n| n.parse().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revocation_checks_are_answered_by_the_replica_without_a_round_trip() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let store = || RedisStore::new(&server.url()).unwrap();
    let (a, b) = (store(), store());
    // Revoked before `b` starts: `b` learns it from its snapshot.
    a.revoke(&key("early"), now() + 600).await.unwrap();
    assert!(!b.any_revoked(&[key("nothing")]).await.unwrap());
    let client = ::redis::Client::open(server.url()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    // Let `b`'s replica confirm its subscription.
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    let mut before = calls(&mut connection, "exists").await;
    loop {
        b.any_revoked(&[key("probe")]).await.unwrap();
        let after = calls(&mut connection, "exists").await;
        if after == before {
            break;
        }
        before = after;
        assert!(
            std::time::Instant::now() < deadline,
            "the replica never took over"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        b.any_revoked(&[key("early")]).await.unwrap(),
        "from the snapshot"
    );
    for _ in 0..50 {
        assert!(!b.any_revoked(&[key("late")]).await.unwrap());
    }
    // Revoked on `a` after `b` follows: `b` sees it through pub/sub, within a second.
    a.revoke(&key("late"), now() + 600).await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(1);
    while !b.any_revoked(&[key("late")]).await.unwrap() {
        assert!(std::time::Instant::now() < deadline, "seen within a second");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        calls(&mut connection, "exists").await,
        before,
        "every check above was answered locally"
    );
    // A family revoked by a detected reuse travels the same way.
    let family = StoreKey::family("replicated");
    a.begin_family(&family, &key("r1"), now() + 600)
        .await
        .unwrap();
    a.rotate(&family, &key("r1"), &key("r2"), Duration::ZERO)
        .await
        .unwrap();
    a.rotate(&family, &key("r1"), &key("r3"), Duration::ZERO)
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(1);
    while !b.any_revoked(std::slice::from_ref(&family)).await.unwrap() {
        assert!(std::time::Instant::now() < deadline, "seen within a second");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
