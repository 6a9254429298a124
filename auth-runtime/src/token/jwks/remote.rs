//! The keys of one identity provider: the last set fetched, read without a lock on every
//! request, and the fetch that replaces it.
//!
//! - Reads: an `ArcSwapOption` load, no lock, no `await`.
//! - One fetch at a time per provider (single-flight): the fetch holds a mutex that only
//!   other fetchers wait on, for at most the HTTP timeouts.
//! - At most one fetch per cooldown, whatever asks for it: an unknown `kid`, keys older
//!   than their maximum age (refreshed in the background while the old ones keep
//!   verifying), no keys yet.
//! - A failed fetch keeps the last-known-good set.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use arc_swap::ArcSwapOption;
use jsonwebtoken::Algorithm;
use reqwest::Url;

use super::{
    fetch::{FetchError, Fetcher, check_url, discovery_url},
    keyset::KeySet,
    provider::{KeyLocation, Provider},
};
use crate::{config::ConfigError, error::AuthError, token::trust::Verifier};

/// `last_attempt_ms` before any fetch.
const NEVER: u64 = u64::MAX;

/// Where the key set is fetched from.
enum Source {
    Jwks(Url),
    Discovery,
}

struct Loaded {
    set: KeySet,
    at: Instant,
}

/// One provider's keys.
pub(crate) struct RemoteKeys {
    issuer: String,
    source: Source,
    algorithms: Vec<Algorithm>,
    fetcher: Fetcher,
    cooldown: Duration,
    max_age: Duration,
    loaded: ArcSwapOption<Loaded>,
    /// Held by the one fetch in flight; holds the `jwks_uri` discovery found.
    fetching: tokio::sync::Mutex<Option<Url>>,
    /// The clock `last_attempt_ms` counts on.
    started: Instant,
    last_attempt_ms: AtomicU64,
    /// A background refresh is scheduled or running.
    background: AtomicBool,
}

impl RemoteKeys {
    /// Prepares the provider's client and checks its URLs; fetches nothing.
    pub(crate) fn new(provider: &Provider) -> Result<Self, ConfigError> {
        provider.check()?;
        let source = match &provider.location {
            KeyLocation::Jwks(url) => Source::Jwks(check_url("provider.jwks_url", url)?),
            KeyLocation::Discovery => {
                discovery_url(&provider.issuer)?;
                Source::Discovery
            }
        };
        Ok(Self {
            issuer: provider.issuer.clone(),
            source,
            algorithms: provider.algorithms.clone(),
            fetcher: Fetcher::new(provider.timeout, provider.max_document_bytes)?,
            cooldown: provider.refresh_cooldown,
            max_age: provider.max_age,
            loaded: ArcSwapOption::empty(),
            fetching: tokio::sync::Mutex::new(None),
            started: Instant::now(),
            last_attempt_ms: AtomicU64::new(NEVER),
            background: AtomicBool::new(false),
        })
    }

    /// Whether a key set has been fetched.
    pub(crate) fn is_loaded(&self) -> bool {
        self.loaded.load().is_some()
    }

    /// The key for a token, from the keys in hand (no lock, no I/O). No keys yet is
    /// [`AuthError::KeysUnavailable`]; no keys yet or old ones schedule a refresh in the
    /// background.
    pub(crate) fn verifier(
        self: &Arc<Self>,
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<Arc<Verifier>, AuthError> {
        let loaded = self.loaded.load();
        let Some(loaded) = loaded.as_deref() else {
            self.refresh_in_background();
            return Err(AuthError::KeysUnavailable);
        };
        if loaded.at.elapsed() >= self.max_age {
            self.refresh_in_background();
        }
        loaded.set.verifier(kid, alg)
    }

    /// After a token named a `kid` the keys lack, or came before any keys: fetches the
    /// set unless the cooldown forbids it, or waits for the fetch in flight. True when a
    /// set fetched after `since` is in place (retry the token).
    pub(crate) async fn refresh_after_miss(&self, since: Instant) -> bool {
        let mut jwks_uri = self.fetching.lock().await;
        if self.loaded.load().as_ref().is_some_and(|l| l.at >= since) {
            return true;
        }
        self.may_fetch() && self.fetch(&mut jwks_uri).await
    }

    /// Fetches the set if there is none or it is older than its maximum age, unless the
    /// cooldown forbids it. True when a set is in place.
    pub(crate) async fn load(&self) -> bool {
        let mut jwks_uri = self.fetching.lock().await;
        let fresh = self
            .loaded
            .load()
            .as_ref()
            .is_some_and(|l| l.at.elapsed() < self.max_age);
        if !fresh && self.may_fetch() {
            self.fetch(&mut jwks_uri).await;
        }
        self.is_loaded()
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(NEVER - 1)
    }

    /// Whether the cooldown since the last fetch has passed.
    fn may_fetch(&self) -> bool {
        let last = self.last_attempt_ms.load(Ordering::Acquire);
        last == NEVER
            || self.now_ms().saturating_sub(last)
                >= u64::try_from(self.cooldown.as_millis()).unwrap_or(u64::MAX)
    }

    /// Schedules [`load`](Self::load) on the runtime, once at a time and only when the
    /// cooldown allows a fetch, so the request path never waits for it.
    fn refresh_in_background(self: &Arc<Self>) {
        if !self.may_fetch() || self.background.swap(true, Ordering::AcqRel) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            self.background.store(false, Ordering::Release);
            return;
        };
        let this = Arc::clone(self);
        runtime.spawn(async move {
            this.load().await;
            this.background.store(false, Ordering::Release);
        });
    }

    /// One fetch, under the `fetching` lock: discovery when needed, the set, and the
    /// swap. A failure keeps the keys in hand.
    async fn fetch(&self, jwks_uri: &mut Option<Url>) -> bool {
        self.last_attempt_ms.store(self.now_ms(), Ordering::Release);
        let result = async {
            let url = match (&self.source, jwks_uri.as_ref()) {
                (Source::Jwks(url), _) | (Source::Discovery, Some(url)) => url.clone(),
                (Source::Discovery, None) => {
                    let url = self.fetcher.discover(&self.issuer).await?;
                    *jwks_uri = Some(url.clone());
                    url
                }
            };
            let body = self.fetcher.get(&url).await?;
            KeySet::parse(&body, &self.algorithms).map_err(FetchError::Document)
        }
        .await;
        match result {
            Ok(set) => {
                tracing::info!(issuer = %self.issuer, keys = set.len(), "provider keys loaded");
                self.loaded.store(Some(Arc::new(Loaded {
                    set,
                    at: Instant::now(),
                })));
                true
            }
            Err(error) => {
                // Discover again next time: the provider may have moved its keys.
                *jwks_uri = None;
                if self.is_loaded() {
                    tracing::warn!(issuer = %self.issuer, %error, "provider keys not refreshed; keeping the last ones");
                } else {
                    tracing::error!(issuer = %self.issuer, %error, "provider keys unavailable");
                }
                false
            }
        }
    }
}
