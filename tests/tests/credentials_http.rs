//! Opaque tokens and API keys of the wrong shape are refused before any store call: a
//! store that counts its lookups sees none for them, and one for a well-formed credential
//! it does not know.

mod common;

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use auth_runtime::{
    AuthManager, require_token,
    store::{MemoryStore, Rotation, StoreError, StoreKey, TokenStore},
};
use axum::{Router, routing::get};
use common::*;

/// A [`MemoryStore`] that counts record lookups.
#[derive(Default)]
struct Counting {
    inner: MemoryStore,
    lookups: AtomicUsize,
}

impl TokenStore for Counting {
    async fn revoke(&self, id: &StoreKey, until: u64) -> Result<(), StoreError> {
        self.inner.revoke(id, until).await
    }

    async fn any_revoked(&self, ids: &[StoreKey]) -> Result<bool, StoreError> {
        self.inner.any_revoked(ids).await
    }

    async fn begin_family(
        &self,
        family: &StoreKey,
        current: &StoreKey,
        until: u64,
    ) -> Result<(), StoreError> {
        self.inner.begin_family(family, current, until).await
    }

    async fn rotate(
        &self,
        family: &StoreKey,
        presented: &StoreKey,
        next: &StoreKey,
        grace: Duration,
    ) -> Result<Rotation, StoreError> {
        self.inner.rotate(family, presented, next, grace).await
    }

    async fn put_record(&self, key: &StoreKey, record: &str, until: u64) -> Result<(), StoreError> {
        self.inner.put_record(key, record, until).await
    }

    async fn get_record(&self, key: &StoreKey) -> Result<Option<String>, StoreError> {
        self.lookups.fetch_add(1, Ordering::SeqCst);
        self.inner.get_record(key).await
    }

    async fn remove_record(&self, key: &StoreKey) -> Result<bool, StoreError> {
        self.inner.remove_record(key).await
    }
}

#[require_token(credential = "api_key")]
async fn report() -> &'static str {
    "report"
}

#[require_token(credential = "opaque")]
async fn secret() -> &'static str {
    "secret"
}

#[tokio::test]
async fn malformed_credentials_never_reach_the_store() {
    let store = Arc::new(Counting::default());
    let manager = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(signing_key(auth_runtime::Algorithm::HS256))
        .store(store.clone())
        .build()
        .expect("manager");
    let app = Router::new()
        .route("/report", get(report))
        .route("/secret", get(secret));
    let s = TestServer::start(app, manager.clone()).await;
    let key = manager
        .issue_api_key(manager.auth_token("bot"), Duration::from_secs(60))
        .await
        .expect("key");
    let text = key.key();
    let jwt = manager.auth_token("alice").sign().expect("jwt");
    let lookups = || store.lookups.load(Ordering::SeqCst);

    for bad in [
        "",
        "ak_",
        &text[..text.len() - 1],
        &format!("{text}A"),
        &text.replacen("ak_", "AK_", 1),
        &format!("{}.{}", &text[..19], &text[20..]),
        &format!("{}+", &text[..text.len() - 1]),
        &jwt,
    ] {
        let res = s.get("/report", &[&format!("X-API-Key: {bad}")]).await;
        assert_eq!(res.status, 401, "{bad:?}: {}", res.body);
    }
    s.get("/secret", &[&format!("Authorization: Bearer {jwt}")])
        .await
        .assert_invalid_token();
    s.get(
        "/secret",
        &[&format!("Authorization: Bearer {}", "a".repeat(600))],
    )
    .await
    .assert_invalid_token();
    assert_eq!(
        lookups(),
        0,
        "no lookup for a credential of the wrong shape"
    );

    // Well-formed: one lookup each, known or not.
    assert_eq!(
        s.get("/report", &[&format!("X-API-Key: {text}")])
            .await
            .status,
        200
    );
    let unknown = format!("{}{}", &text[..20], "A".repeat(text.len() - 20));
    s.get("/report", &[&format!("X-API-Key: {unknown}")])
        .await
        .assert_invalid_token();
    s.get("/secret", &[&bearer_header("opaque-but-unknown")])
        .await
        .assert_invalid_token();
    assert_eq!(lookups(), 3);
}

fn bearer_header(token: &str) -> String {
    format!("Authorization: Bearer {token}")
}
