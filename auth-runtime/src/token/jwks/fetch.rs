//! The HTTP side of a provider: one client per provider (TLS through rustls on
//! aws-lc-rs, the platform's trust roots), a timeout on every request, no redirects, a
//! size limit on every document, and OpenID Connect discovery.

use std::{fmt, time::Duration};

use reqwest::{Client, StatusCode, Url};
use serde_json::Value;

use crate::config::ConfigError;

/// Why a document could not be fetched or read. Logged; never shown to clients.
#[derive(Debug)]
pub(crate) enum FetchError {
    /// The request failed: connection, TLS, timeout.
    Http(reqwest::Error),
    /// The provider answered something other than 200.
    Status(StatusCode),
    /// The document is larger than the limit.
    TooLarge(usize),
    /// The document is not what it should be.
    Document(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Http(e) => write!(f, "request failed: {e}"),
            Self::Status(status) => write!(f, "answered {status}"),
            Self::TooLarge(max) => write!(f, "document larger than {max} bytes"),
            Self::Document(reason) => write!(f, "unusable document: {reason}"),
        }
    }
}

/// An HTTP client for one provider's documents.
pub(crate) struct Fetcher {
    client: Client,
    max_bytes: usize,
}

impl Fetcher {
    pub(crate) fn new(timeout: Duration, max_bytes: usize) -> Result<Self, ConfigError> {
        let client = Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("auth-runtime/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ConfigError::invalid("provider", format!("no HTTP client: {e}")))?;
        Ok(Self { client, max_bytes })
    }

    /// The body of `url`, at most `max_bytes` long.
    pub(crate) async fn get(&self, url: &Url) -> Result<Vec<u8>, FetchError> {
        let mut response = self
            .client
            .get(url.clone())
            .header("accept", "application/json")
            .send()
            .await
            .map_err(FetchError::Http)?;
        if response.status() != StatusCode::OK {
            return Err(FetchError::Status(response.status()));
        }
        if response
            .content_length()
            .is_some_and(|n| n > self.max_bytes as u64)
        {
            return Err(FetchError::TooLarge(self.max_bytes));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(FetchError::Http)? {
            if body.len() + chunk.len() > self.max_bytes {
                return Err(FetchError::TooLarge(self.max_bytes));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
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

/// A URL keys may be fetched from: `https://`, or `http://` to a loopback address
/// (a provider on the same machine, a test), never a user name or password in it.
pub(crate) fn check_url(setting: &str, url: &str) -> Result<Url, ConfigError> {
    let parsed = Url::parse(url)
        .map_err(|e| ConfigError::invalid(setting, format!("`{url}` is not a URL ({e})")))?;
    let loopback = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => {
            return Err(ConfigError::invalid(
                setting,
                format!("`{url}` must be an https:// URL (plain http only to a loopback address)"),
            ));
        }
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(ConfigError::invalid(
            setting,
            "keys are fetched without credentials: remove the user name and password from the URL",
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http_is_fetched() {
        assert!(check_url("x", "https://idp.example.com/jwks").is_ok());
        assert!(check_url("x", "http://127.0.0.1:8080/jwks").is_ok());
        assert!(check_url("x", "http://localhost/jwks").is_ok());
        assert!(check_url("x", "http://[::1]:9/jwks").is_ok());
        for bad in [
            "http://idp.example.com/jwks",
            "file:///etc/passwd",
            "ftp://idp/x",
            "not a url",
            "https://user:pw@idp.example.com/jwks",
        ] {
            assert_eq!(check_url("x", bad).unwrap_err().setting(), "x", "{bad}");
        }
    }

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
