//! Protect-all: every request of a router needs a token, except the routes listed as
//! allowed or ignored (flask-jwt-router's model, without its prefix-matching bypass).

use std::sync::Arc;

use axum::{
    extract::{MatchedPath, Request},
    http::Method,
};
use tower_layer::Layer;

use super::layer::RequireToken;
use crate::policy::requirement::Requirement;

/// Requires a token on every route of a router and on its fallback, except the listed
/// (method, route template) pairs: flask-jwt-router's model, without its prefix-matching
/// bypass.
///
/// ```
/// use auth_runtime::{AuthManager, CurrentToken, ProtectAllLayer};
/// use axum::{http::Method, routing::{get, post}, Extension, Router};
/// # fn app(manager: AuthManager) -> Router {
/// Router::new()
///     .route("/", get(|| async { "home" }))
///     .route("/api/v1/login", post(|| async { "token" }))
///     .route("/api/v1/cars", get(|token: CurrentToken| async move { token.sub().to_owned() }))
///     .layer(
///         ProtectAllLayer::new()
///             .api_name("/api/v1")
///             .allow(Method::POST, "/login") // prefixed: POST /api/v1/login
///             .ignore(Method::GET, "/"),     // as written: GET /
///     )
///     .layer(Extension(manager))
/// # }
/// ```
///
/// A request is let through without a token only when the router matched a route whose
/// **template** is listed with the request's **method**: the comparison is exact, on
/// axum's [`MatchedPath`], never on the raw path and never by prefix. `/api/v1/login/`,
/// `/api/v1/loginx`, `//api/v1/login`, `/API/V1/LOGIN` and `/api/v1/x/../login` match no
/// listed template and need a token; so does `HEAD` on an allowed `GET`. Added with
/// `Router::layer`, the layer also covers the fallback: a path that does not exist
/// answers 401 without a token and 404 with one, so an anonymous client cannot map the
/// routes. Every other request goes through the same guard as `#[require_token]`, with
/// the layer's [`Requirement`] (any valid auth token by default, from the manager's
/// locations: enable `?auth=` with the manager's `query_parameter("auth")` and
/// `token_locations([Header, Query])`).
#[derive(Debug, Clone, Default)]
pub struct ProtectAllLayer {
    requirement: Requirement,
    api_name: String,
    allowed: Vec<(Method, String)>,
    ignored: Vec<(Method, String)>,
}

impl ProtectAllLayer {
    /// Every request needs any valid auth token; nothing is listed yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The requirement applied to requests that are not let through (default: any valid
    /// auth token, from the manager's locations).
    pub fn requirement(mut self, requirement: Requirement) -> Self {
        self.requirement = requirement;
        self
    }

    /// The API name: a prefix put before every [`allow`](Self::allow)ed path (not before
    /// [`ignore`](Self::ignore)d ones), as flask-jwt-router's `JWT_ROUTER_API_NAME`.
    ///
    /// # Panics
    ///
    /// When `name` does not start with `/` or ends with `/` (write `/api/v1`).
    pub fn api_name(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        assert!(
            name.starts_with('/') && !name.ends_with('/'),
            "ProtectAllLayer::api_name(`{name}`): write the prefix as `/api/v1`, \
             starting with `/` and without a trailing `/`"
        );
        self.api_name = name;
        self
    }

    /// Lets `method` requests to the route `api_name + path` through without a token.
    ///
    /// # Panics
    ///
    /// When `path` does not start with `/`.
    pub fn allow(mut self, method: Method, path: impl Into<String>) -> Self {
        self.allowed
            .push((method, route_template("allow", path.into())));
        self
    }

    /// Lets `method` requests to the route `path` (without the API name) through without
    /// a token: pages outside the API, such as `GET /`.
    ///
    /// # Panics
    ///
    /// When `path` does not start with `/`.
    pub fn ignore(mut self, method: Method, path: impl Into<String>) -> Self {
        self.ignored
            .push((method, route_template("ignore", path.into())));
        self
    }

    fn exemptions(&self) -> Exemptions {
        let allowed = self
            .allowed
            .iter()
            .map(|(method, path)| (method.clone(), format!("{}{path}", self.api_name)));
        Exemptions {
            routes: self.ignored.iter().cloned().chain(allowed).collect(),
        }
    }
}

fn route_template(setting: &str, path: String) -> String {
    assert!(
        path.starts_with('/'),
        "ProtectAllLayer::{setting}(`{path}`): write the route as axum does, starting with `/`"
    );
    path
}

impl<S> Layer<S> for ProtectAllLayer {
    type Service = RequireToken<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequireToken::new(inner, self.requirement, Some(Arc::new(self.exemptions())))
    }
}

/// The (method, route template) pairs a [`ProtectAllLayer`] lets through.
#[derive(Debug)]
pub(crate) struct Exemptions {
    routes: Vec<(Method, String)>,
}

impl Exemptions {
    /// Whether the router matched a listed route template with the request's method.
    pub(crate) fn exempts(&self, request: &Request) -> bool {
        let Some(matched) = request.extensions().get::<MatchedPath>() else {
            return false;
        };
        self.routes
            .iter()
            .any(|(method, path)| method == request.method() && path == matched.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_name_prefixes_allowed_routes_only() {
        let layer = ProtectAllLayer::new()
            .allow(Method::POST, "/login")
            .ignore(Method::GET, "/")
            .api_name("/api/v1");
        let mut routes = layer.exemptions().routes;
        routes.sort_by(|a, b| a.1.cmp(&b.1));
        assert_eq!(
            routes,
            [
                (Method::GET, "/".to_owned()),
                (Method::POST, "/api/v1/login".to_owned())
            ]
        );
    }

    #[test]
    #[should_panic(expected = "starting with `/`")]
    fn a_route_without_its_leading_slash_is_refused() {
        let _ = ProtectAllLayer::new().allow(Method::POST, "login");
    }

    #[test]
    #[should_panic(expected = "without a trailing `/`")]
    fn an_api_name_with_a_trailing_slash_is_refused() {
        let _ = ProtectAllLayer::new().api_name("/api/v1/");
    }
}
