//! The HTTP client shared by the remote services this crate calls (an identity
//! provider's keys, feature `jwks`; an RFC 7662 introspection endpoint, feature
//! `introspection`): TLS through rustls on aws-lc-rs with the platform's trust roots, a
//! timeout on every request, no redirects, a size limit on every body, and URLs that are
//! `https://` (plain `http://` only to a loopback address) without credentials in them.

use std::{fmt, time::Duration};

use reqwest::{Client, Response, StatusCode, Url};

use crate::config::ConfigError;

/// Why a remote document could not be fetched or read. Logged; never shown to clients.
#[derive(Debug)]
pub(crate) enum FetchError {
    /// The request failed: connection, TLS, timeout.
    Http(reqwest::Error),
    /// The service answered something other than 200.
    Status(StatusCode),
    /// The document is larger than the limit.
    TooLarge(usize),
    /// The document is not what it should be.
    #[cfg_attr(not(feature = "jwks"), allow(dead_code))]
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

/// A client whose every request (connection included) ends within `timeout`, and that
/// follows no redirect. `setting` names what it is for in the error.
pub(crate) fn client(setting: &str, timeout: Duration) -> Result<Client, ConfigError> {
    if timeout.is_zero() {
        return Err(ConfigError::invalid(
            setting,
            "the timeout must not be zero",
        ));
    }
    Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("auth-runtime/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ConfigError::invalid(setting, format!("no HTTP client: {e}")))
}

/// The body of a 200 `response`, at most `max_bytes` long, read without holding more.
pub(crate) async fn read_body(
    mut response: Response,
    max_bytes: usize,
) -> Result<Vec<u8>, FetchError> {
    if response.status() != StatusCode::OK {
        return Err(FetchError::Status(response.status()));
    }
    if response
        .content_length()
        .is_some_and(|n| n > max_bytes as u64)
    {
        return Err(FetchError::TooLarge(max_bytes));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(FetchError::Http)? {
        if body.len() + chunk.len() > max_bytes {
            return Err(FetchError::TooLarge(max_bytes));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A URL this crate may call: `https://`, or `http://` to a loopback address (a service
/// on the same machine, a test), never a user name or password in it.
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
            "credentials do not belong in the URL: remove the user name and password from it",
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http_is_called() {
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
    fn a_zero_timeout_is_refused_by_name() {
        let error = client("introspection_timeout", Duration::ZERO).unwrap_err();
        assert_eq!(error.setting(), "introspection_timeout");
    }
}
