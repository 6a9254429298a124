//! [`assert_anonymous_refused`]: every route that requires a token refuses a request
//! without one.
//!
//! [`assert_anonymous_refused`] walks a [`routing::Router`](crate::routing::Router)'s
//! routes and proves that every one whose handler requires a token refuses a request
//! without one:
//!
//! ```
//! use auth_runtime::{AuthManager, Key, Algorithm, require_token, public};
//! use auth_runtime::routing::{Router, get};
//! use axum::Extension;
//!
//! #[require_token]
//! async fn me() {}
//!
//! #[public]
//! async fn health() {}
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let manager = AuthManager::builder()
//!     .issuer("tests")
//!     .signing_key(Key::hmac(Algorithm::HS256, [7u8; 32].to_vec()).unwrap())
//!     .build()
//!     .unwrap();
//! let app = Router::new()
//!     .route("/me", get(me))
//!     .route("/health", get(health))
//!     .layer(Extension(manager));
//! let checked = auth_runtime::testing::assert_anonymous_refused(&app).await;
//! assert_eq!(checked, ["GET /me"]);
//! # }
//! ```

use std::future::poll_fn;

use axum::{body::Body, extract::Request, http::header::WWW_AUTHENTICATE};
use tower_service::Service;

use crate::request::routing::{Router, parameter_name};

/// Sends every route of `router` whose handler requires a token (not `#[public]`, not
/// `optional`) a request without credentials, its path parameters filled with `x` (a
/// route for any method is sent `GET`), and returns the routes checked, as `"GET /path"`.
///
/// # Panics
///
/// Naming the route, when one answers anything but 401 with a `WWW-Authenticate: Bearer`
/// challenge (a 500 usually means no [`AuthManager`](crate::AuthManager) is installed).
pub async fn assert_anonymous_refused(router: &Router) -> Vec<String> {
    let mut checked = Vec::new();
    for route in router.routes() {
        if route.requirement().is_none_or(|r| r.is_optional()) {
            continue;
        }
        let method = route.method().cloned().unwrap_or_default();
        let path = example_path(route.path());
        let name = format!("{method} {}", route.path());
        let request = Request::builder()
            .method(method)
            .uri(&path)
            .body(Body::empty())
            .unwrap_or_else(|e| panic!("{name}: cannot build a request for `{path}`: {e}"));
        let mut service = router.service();
        let Ok(()) = poll_fn(|cx| Service::<Request>::poll_ready(&mut service, cx)).await;
        let Ok(response) = service.call(request).await;
        let challenge = response
            .headers()
            .get(WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            response.status() == 401 && challenge.starts_with("Bearer"),
            "{name} ({}): an anonymous request answered {} (WWW-Authenticate {challenge:?}), \
             not 401 with a Bearer challenge",
            route.handler(),
            response.status(),
        );
        checked.push(name);
    }
    checked
}

/// `path` with each `{param}` and `{*param}` segment replaced by `x`.
fn example_path(path: &str) -> String {
    path.split('/')
        .map(|segment| parameter_name(segment).map_or(segment, |_| "x"))
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::example_path;

    #[test]
    fn parameters_are_filled() {
        assert_eq!(
            example_path("/users/{id}/files/{*rest}"),
            "/users/x/files/x"
        );
        assert_eq!(example_path("/"), "/");
    }
}
