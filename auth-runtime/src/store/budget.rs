//! The store as the manager holds it: type-erased, every call under a time budget.

use std::{future::Future, pin::Pin, sync::Arc, time::Duration};

use super::{Rotation, StoreError, StoreKey, TokenStore};

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// [`TokenStore`] with boxed futures, so the manager can hold any store behind one
/// pointer without becoming generic.
trait DynTokenStore: Send + Sync {
    fn revoke<'a>(&'a self, id: &'a StoreKey, until: u64) -> BoxFuture<'a, Result<(), StoreError>>;
    fn any_revoked<'a>(&'a self, ids: &'a [StoreKey]) -> BoxFuture<'a, Result<bool, StoreError>>;
    fn begin_family<'a>(
        &'a self,
        family: &'a StoreKey,
        current: &'a StoreKey,
        until: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    fn rotate<'a>(
        &'a self,
        family: &'a StoreKey,
        presented: &'a StoreKey,
        next: &'a StoreKey,
        grace: Duration,
    ) -> BoxFuture<'a, Result<Rotation, StoreError>>;
    fn put_record<'a>(
        &'a self,
        key: &'a StoreKey,
        record: &'a str,
        until: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    fn get_record<'a>(
        &'a self,
        key: &'a StoreKey,
    ) -> BoxFuture<'a, Result<Option<String>, StoreError>>;
    fn remove_record<'a>(&'a self, key: &'a StoreKey) -> BoxFuture<'a, Result<bool, StoreError>>;
}

impl<T: TokenStore> DynTokenStore for T {
    fn revoke<'a>(&'a self, id: &'a StoreKey, until: u64) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(TokenStore::revoke(self, id, until))
    }

    fn any_revoked<'a>(&'a self, ids: &'a [StoreKey]) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(TokenStore::any_revoked(self, ids))
    }

    fn begin_family<'a>(
        &'a self,
        family: &'a StoreKey,
        current: &'a StoreKey,
        until: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(TokenStore::begin_family(self, family, current, until))
    }

    fn rotate<'a>(
        &'a self,
        family: &'a StoreKey,
        presented: &'a StoreKey,
        next: &'a StoreKey,
        grace: Duration,
    ) -> BoxFuture<'a, Result<Rotation, StoreError>> {
        Box::pin(TokenStore::rotate(self, family, presented, next, grace))
    }

    fn put_record<'a>(
        &'a self,
        key: &'a StoreKey,
        record: &'a str,
        until: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(TokenStore::put_record(self, key, record, until))
    }

    fn get_record<'a>(
        &'a self,
        key: &'a StoreKey,
    ) -> BoxFuture<'a, Result<Option<String>, StoreError>> {
        Box::pin(TokenStore::get_record(self, key))
    }

    fn remove_record<'a>(&'a self, key: &'a StoreKey) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(TokenStore::remove_record(self, key))
    }
}

/// The manager's store: any [`TokenStore`], each call bounded by `budget`.
#[derive(Clone)]
pub(crate) struct Store {
    inner: Arc<dyn DynTokenStore>,
    budget: Duration,
}

impl Store {
    pub(crate) fn new(store: impl TokenStore, budget: Duration) -> Self {
        Self {
            inner: Arc::new(store),
            budget,
        }
    }

    /// The same store with another budget.
    pub(crate) fn with_budget(self, budget: Duration) -> Self {
        Self { budget, ..self }
    }

    async fn bounded<T>(
        &self,
        call: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        // A store that answers at once (the in-memory store, a local replica) needs no
        // timer: only a call still pending after its first poll runs under the budget.
        let mut call = std::pin::pin!(call);
        let ready = std::future::poll_fn(|cx| {
            std::task::Poll::Ready(match call.as_mut().poll(cx) {
                std::task::Poll::Ready(answer) => Some(answer),
                std::task::Poll::Pending => None,
            })
        })
        .await;
        if let Some(answer) = ready {
            return answer;
        }
        tokio::time::timeout(self.budget, call)
            .await
            .unwrap_or(Err(StoreError::Timeout))
    }

    pub(crate) async fn revoke(&self, id: &StoreKey, until: u64) -> Result<(), StoreError> {
        self.bounded(self.inner.revoke(id, until)).await
    }

    pub(crate) async fn any_revoked(&self, ids: &[StoreKey]) -> Result<bool, StoreError> {
        self.bounded(self.inner.any_revoked(ids)).await
    }

    pub(crate) async fn begin_family(
        &self,
        family: &StoreKey,
        current: &StoreKey,
        until: u64,
    ) -> Result<(), StoreError> {
        self.bounded(self.inner.begin_family(family, current, until))
            .await
    }

    pub(crate) async fn rotate(
        &self,
        family: &StoreKey,
        presented: &StoreKey,
        next: &StoreKey,
        grace: Duration,
    ) -> Result<Rotation, StoreError> {
        self.bounded(self.inner.rotate(family, presented, next, grace))
            .await
    }

    pub(crate) async fn put_record(
        &self,
        key: &StoreKey,
        record: &str,
        until: u64,
    ) -> Result<(), StoreError> {
        self.bounded(self.inner.put_record(key, record, until))
            .await
    }

    pub(crate) async fn get_record(&self, key: &StoreKey) -> Result<Option<String>, StoreError> {
        self.bounded(self.inner.get_record(key)).await
    }

    pub(crate) async fn remove_record(&self, key: &StoreKey) -> Result<bool, StoreError> {
        self.bounded(self.inner.remove_record(key)).await
    }
}
