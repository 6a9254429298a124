//! The HTTP side of a provider: one client per provider (the shared client of
//! `token::http`: timeouts, no redirects, a size limit on every document), and OpenID
//! Connect discovery.

use std::time::Duration;

use reqwest::{Client, Url};
use serde_json::Value;

pub(crate) use crate::token::http::{FetchError, check_url};
use crate::{config::ConfigError, token::http};

/// An HTTP client for one provider's documents.
pub(crate) struct Fetcher {
    client: Client,
    max_bytes: usize,
}

impl Fetcher {
    pub(crate) fn new(timeout: Duration, max_bytes: usize) -> Result<Self, ConfigError> {
        Ok(Self {
            client: http::client("provider", timeout)?,
            max_bytes,
        })
    }

    /// The body of `url`, at most `max_bytes` long.
    pub(crate) async fn get(&self, url: &Url) -> Result<Vec<u8>, FetchError> {
        let response = self
            .client
            .get(url.clone())
            .header("accept", "application/json")
            .send()
            .await
            .map_err(FetchError::Http)?;
        http::read_body(response, self.max_bytes).await
    }

    /// The `jwks_uri` of `issuer`'s discovery document, whose `issuer` must be `issuer`
    /// exactly (OpenID Connect Discovery §4.3).
    pub(crate) async fn discover(&self, issuer: &str) -> Result<Url, FetchError> {
        let url = discovery_url(issuer).map_err(|e| FetchError::Document(e.to_string()))?;
        let body = self.get(&url).await?;
        let document: Value = serde_json::from_slice(&body)
            .map_err(|e| FetchError::Document(format!("discovery is not JSON ({e})")))?;
        if document.get("issuer").and_then(Value::as_str) != Some(issuer) {
            return Err(FetchError::Document(
                "the discovery document names another `issuer`".into(),
            ));
        }
        let jwks_uri = document
            .get("jwks_uri")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                FetchError::Document("no `jwks_uri` in the discovery document".into())
            })?;
        check_url("jwks_uri", jwks_uri).map_err(|e| FetchError::Document(e.to_string()))
    }
}

/// `<issuer>/.well-known/openid-configuration`.
pub(crate) fn discovery_url(issuer: &str) -> Result<Url, ConfigError> {
    check_url(
        "provider",
        &format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_is_under_the_issuer() {
        assert_eq!(
            discovery_url("https://idp.example.com/realms/main/")
                .unwrap()
                .as_str(),
            "https://idp.example.com/realms/main/.well-known/openid-configuration"
        );
    }
}
