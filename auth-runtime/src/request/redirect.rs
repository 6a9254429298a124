//! Pages for people: a refused request without a valid token is sent to the login page,
//! with the page it wanted kept in `next` (Flask-JWT-Login's `unauthorized_handler`, as a
//! layer). JSON routes keep their RFC 6750 answers: put the layer on the HTML routes only.
//!
//! ```
//! use auth_runtime::{require_token, RedirectToLogin};
//! use axum::{routing::get, Router};
//!
//! #[require_token(location = "cookie")]
//! async fn account() -> &'static str { "your account" }
//!
//! let pages: Router = Router::new()
//!     .route("/account", get(account))
//!     .route_layer(RedirectToLogin::new("/login"));
//! ```
//!
//! A 401 becomes `303 See Other` to `/login?next=/account` (the path and query
//! percent-encoded). A 403 stays a 403: the user is logged in, the page is not theirs. The
//! login handler must check `next` before redirecting to it: [`local_path`] accepts only a
//! path on this site, never `//evil.example` or `https://…`.

use std::{
    convert::Infallible,
    fmt::Write as _,
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use axum::{
    body::Body,
    http::{HeaderValue, Request, StatusCode, header::LOCATION},
    response::{IntoResponse, Response},
};
use tower_layer::Layer;
use tower_service::Service;

/// Sends requests refused with 401 to a login page. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct RedirectToLogin {
    login_path: Arc<str>,
}

impl RedirectToLogin {
    /// Redirects to `login_path`, a path on this site such as `/login`.
    ///
    /// # Panics
    ///
    /// When `login_path` is not a local path (it must start with one `/`): a mistake in
    /// the application's code, found when the router is built.
    pub fn new(login_path: &str) -> Self {
        assert!(
            local_path(login_path).is_some(),
            "RedirectToLogin::new({login_path:?}): the login page must be a path on this site, such as \"/login\""
        );
        Self {
            login_path: login_path.into(),
        }
    }
}

impl<S> Layer<S> for RedirectToLogin {
    type Service = RedirectToLoginService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RedirectToLoginService {
            inner,
            login_path: self.login_path.clone(),
        }
    }
}

/// The service [`RedirectToLogin`] wraps around routes.
#[derive(Debug, Clone)]
pub struct RedirectToLoginService<S> {
    inner: S,
    login_path: Arc<str>,
}

/// The future [`RedirectToLoginService`] returns.
pub struct RedirectFuture {
    inner: Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>,
}

impl Future for RedirectFuture {
    type Output = Result<Response, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner.as_mut().poll(cx)
    }
}

impl std::fmt::Debug for RedirectFuture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RedirectFuture")
    }
}

impl<S> Service<Request<Body>> for RedirectToLoginService<S>
where
    S: Service<Request<Body>, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = RedirectFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let wanted = request
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let login = self.login_path.clone();
        RedirectFuture {
            inner: Box::pin(async move {
                let response = inner.call(request).await?;
                if response.status() != StatusCode::UNAUTHORIZED {
                    return Ok(response);
                }
                let target = format!("{login}?next={}", encode(&wanted));
                Ok(match HeaderValue::try_from(target) {
                    Ok(location) => (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response(),
                    Err(_) => response,
                })
            }),
        }
    }
}

/// `next` as a path on this site to redirect to after a login, or `None` when it could
/// lead elsewhere: it must start with one `/` (not `//` or `/\`, which browsers read as
/// another host), and hold no control characters or backslashes.
pub fn local_path(next: &str) -> Option<&str> {
    let bytes = next.as_bytes();
    let ok = bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && !bytes.iter().any(|b| b.is_ascii_control() || *b == b'\\');
    ok.then_some(next)
}

/// Percent-encodes everything but unreserved characters and `/`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_local() {
        for ok in ["/", "/protected", "/a/b?c=d", "/%2F%2Fevil"] {
            assert_eq!(local_path(ok), Some(ok), "{ok}");
        }
        for bad in [
            "",
            "protected",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "/a\\b",
            "/a\r\nSet-Cookie: x",
            "\t/a",
            " /a",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn next_is_percent_encoded() {
        assert_eq!(encode("/protected"), "/protected");
        assert_eq!(encode("/a?b=c&d"), "/a%3Fb%3Dc%26d");
    }
}
