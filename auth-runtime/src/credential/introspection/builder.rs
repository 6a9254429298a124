//! The settings of an [`Introspector`], checked when it is built.

use std::{sync::Arc, time::Duration};

use moka::future::Cache;

use super::{ClientAuth, Inner, Introspector, UntilExp, answer::Expected};
use crate::{
    config::ConfigError,
    token::http::{self, check_url},
};

/// How long one introspection call may take by default.
pub const DEFAULT_INTROSPECTION_TIMEOUT: Duration = Duration::from_secs(1);
/// The largest introspection answer read by default.
pub const DEFAULT_INTROSPECTION_MAX_BYTES: usize = 64 * 1024;
/// How long an active answer is served from the cache by default.
pub const DEFAULT_INTROSPECTION_CACHE_TTL: Duration = Duration::from_secs(60);
/// How many tokens the cache holds by default.
pub const DEFAULT_INTROSPECTION_CACHE_CAPACITY: u64 = 10_000;

impl Introspector {
    /// The settings of a client of the endpoint at `endpoint` (`https://`, or `http://`
    /// to a loopback address), with the defaults; [`build`](IntrospectorBuilder::build)
    /// checks them.
    pub fn builder(endpoint: impl Into<String>) -> IntrospectorBuilder {
        IntrospectorBuilder {
            endpoint: endpoint.into(),
            auth: ClientAuth::None,
            timeout: DEFAULT_INTROSPECTION_TIMEOUT,
            max_bytes: DEFAULT_INTROSPECTION_MAX_BYTES,
            expected: Expected::default(),
            ttl: DEFAULT_INTROSPECTION_CACHE_TTL,
            capacity: DEFAULT_INTROSPECTION_CACHE_CAPACITY,
        }
    }
}

/// The settings of an [`Introspector`], checked by [`build`](Self::build).
#[derive(Clone)]
#[must_use]
pub struct IntrospectorBuilder {
    endpoint: String,
    auth: ClientAuth,
    timeout: Duration,
    max_bytes: usize,
    expected: Expected,
    ttl: Duration,
    capacity: u64,
}

impl std::fmt::Debug for IntrospectorBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntrospectorBuilder")
            .field("endpoint", &self.endpoint)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl IntrospectorBuilder {
    /// Authenticates this service to the endpoint with HTTP Basic: its client id and
    /// secret (RFC 7662 §2.1, each form-encoded first as RFC 6749 §2.3.1 asks).
    pub fn client_credentials(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.auth = ClientAuth::Basic {
            id: id.into(),
            secret: secret.into(),
        };
        self
    }

    /// Authenticates this service to the endpoint with a bearer token of its own, instead
    /// of client credentials.
    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.auth = ClientAuth::Bearer(token.into());
        self
    }

    /// How long one call may take, connection included (default 1 s). Past it the
    /// request answers 503.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest answer read (default 64 KiB). A larger one answers 503.
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_bytes = max;
        self
    }

    /// The `iss` an answer must carry; one without it, or with another, refuses the token.
    pub fn expected_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.expected.issuer = Some(issuer.into());
        self
    }

    /// An audience the answer's `aud` (a string or an array) must hold; one without it
    /// refuses the token.
    pub fn expected_audience(mut self, audience: impl Into<String>) -> Self {
        self.expected.audience = Some(audience.into());
        self
    }

    /// How long an active answer is served from the cache (default 60 s; never past the
    /// token's `exp`). Also how long a token revoked at the authorization server may still
    /// be accepted. Zero asks the endpoint on every request.
    pub fn cache_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// How many tokens the cache holds (default 10 000); past it, the least useful go.
    pub fn cache_capacity(mut self, capacity: u64) -> Self {
        self.capacity = capacity;
        self
    }

    /// The introspector, once the settings are checked.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming the setting: `introspector.endpoint` (not an `https://`
    /// URL, or plain `http://` beyond a loopback address, or credentials in it),
    /// `introspector.timeout` (zero), `introspector.max_response_bytes` (zero),
    /// `introspector.client_credentials` (an empty id), `introspector.bearer` (empty),
    /// `introspector.expected_issuer` or `introspector.expected_audience` (empty).
    pub fn build(self) -> Result<Introspector, ConfigError> {
        let endpoint = check_url("introspector.endpoint", &self.endpoint)?;
        let client = http::client("introspector.timeout", self.timeout)?;
        if self.max_bytes == 0 {
            return Err(ConfigError::invalid(
                "introspector.max_response_bytes",
                "must not be zero",
            ));
        }
        match &self.auth {
            ClientAuth::Basic { id, .. } if id.is_empty() => {
                return Err(ConfigError::invalid(
                    "introspector.client_credentials",
                    "the client id must not be empty",
                ));
            }
            ClientAuth::Bearer(token) if token.is_empty() => {
                return Err(ConfigError::invalid(
                    "introspector.bearer",
                    "the token must not be empty",
                ));
            }
            _ => {}
        }
        for (setting, value) in [
            ("introspector.expected_issuer", &self.expected.issuer),
            ("introspector.expected_audience", &self.expected.audience),
        ] {
            if value.as_deref() == Some("") {
                return Err(ConfigError::invalid(setting, "must not be empty"));
            }
        }
        let cache = Cache::builder()
            .max_capacity(self.capacity)
            .expire_after(UntilExp)
            .build();
        Ok(Introspector(Arc::new(Inner {
            endpoint,
            client,
            auth: self.auth,
            max_bytes: self.max_bytes,
            expected: self.expected,
            ttl: self.ttl,
            cache,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(builder: IntrospectorBuilder) -> String {
        builder.build().unwrap_err().setting().to_owned()
    }

    #[test]
    fn bad_settings_are_refused_by_name() {
        let at = || Introspector::builder("https://as.example.com/introspect");
        assert!(at().build().is_ok());
        assert!(
            Introspector::builder("http://127.0.0.1:9/introspect")
                .build()
                .is_ok()
        );
        for endpoint in [
            "http://as.example.com/introspect",
            "ftp://as/introspect",
            "introspect",
            "https://rs:secret@as.example.com/introspect",
        ] {
            assert_eq!(
                setting(Introspector::builder(endpoint)),
                "introspector.endpoint",
                "{endpoint}"
            );
        }
        assert_eq!(
            setting(at().timeout(Duration::ZERO)),
            "introspector.timeout"
        );
        assert_eq!(
            setting(at().max_response_bytes(0)),
            "introspector.max_response_bytes"
        );
        assert_eq!(
            setting(at().client_credentials("", "secret")),
            "introspector.client_credentials"
        );
        assert_eq!(setting(at().bearer("")), "introspector.bearer");
        assert_eq!(
            setting(at().expected_issuer("")),
            "introspector.expected_issuer"
        );
        assert_eq!(
            setting(at().expected_audience("")),
            "introspector.expected_audience"
        );
    }

    #[test]
    fn debug_shows_the_endpoint_never_the_secret() {
        let builder = Introspector::builder("https://as.example.com/introspect")
            .client_credentials("rs", "hunter2-secret");
        assert!(!format!("{builder:?}").contains("hunter2"));
        let built = builder.build().unwrap();
        let shown = format!("{built:?}");
        assert!(shown.contains("as.example.com") && !shown.contains("hunter2"));
    }
}
