//! Deny-by-default routing: axum's routing functions and `Router`, except that a handler
//! that declares no access rule does not compile, and a path binding whose parameter the
//! route's path lacks stops the application at start-up.
//!
//! ```
//! use auth_runtime::routing::{Router, get, post};
//! use auth_runtime::{public, require_token, CurrentToken};
//! use axum::extract::Path;
//!
//! #[require_token(sub = "username")]
//! async fn profile(Path(username): Path<String>) -> String { username }
//!
//! #[require_token(sub = "username", scope(admin = true))]
//! async fn rename(Path(username): Path<String>) -> String { username }
//!
//! #[public]
//! async fn health() -> &'static str { "ok" }
//!
//! let app: axum::Router = Router::new()
//!     .route("/users/{username}", get(profile).post(rename))
//!     .route("/health", get(health))
//!     .into_router(); // checks every binding against its path; then add layers and serve
//! ```
//!
//! A handler without `#[require_token]` or `#[public]` is refused on the call that routes
//! it:
//!
//! ```compile_fail
//! async fn forgot() -> &'static str { "open to anyone, by accident" }
//! let app = auth_runtime::routing::Router::<()>::new()
//!     .route("/x", auth_runtime::routing::get(forgot)); // this handler declares no access rule
//! ```
//!
//! The functions return this module's [`MethodRouter`], whose `.get(...)`, `.post(...)`
//! ... carry the same bound, and [`Router`] records every (method, path, handler,
//! requirement) it routes: [`Router::routes`] lists them for tools, and
//! [`testing`](crate::testing) (feature `testing`) sends each guarded one an anonymous
//! request. To mount something this module cannot check (`nest_service`, static files),
//! call [`Router::into_router`] and use axum's own methods on the result.

use std::fmt;

use axum::{extract::Request, http::Method, response::IntoResponse, routing::Route};
use tower_layer::Layer;
use tower_service::Service;

mod method;

pub use self::method::{MethodRouter, any, delete, get, head, options, patch, post, put, trace};
use super::declared::Declared;
pub use super::declared::{Public, requirement_of};
use crate::policy::requirement::Requirement;

/// One handler as routing recorded it: its path, method, name and requirement.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    path: String,
    method: Option<Method>,
    handler: &'static str,
    requirement: Option<&'static Requirement>,
}

impl RouteInfo {
    /// The route's path template, nesting prefixes included (`/api/users/{id}`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The method the handler answers; `None` for [`any`].
    pub fn method(&self) -> Option<&Method> {
        self.method.as_ref()
    }

    /// The handler's type name (`my_app::routes::profile` for a function).
    pub fn handler(&self) -> &'static str {
        self.handler
    }

    /// The handler's requirement; `None` for a `#[public]` handler.
    pub fn requirement(&self) -> Option<&'static Requirement> {
        self.requirement
    }

    pub(super) fn of<H, T: Declared>(method: Option<Method>) -> Self {
        Self {
            path: String::new(),
            method,
            handler: std::any::type_name::<H>(),
            requirement: T::REQUIREMENT,
        }
    }
}

/// axum's `Router`, taking only this module's [`MethodRouter`]s and keeping a table of
/// what it routes. [`into_router`](Router::into_router) checks the table and gives the
/// axum `Router` to serve.
#[must_use]
pub struct Router<S = ()> {
    inner: axum::Router<S>,
    routes: Vec<RouteInfo>,
}

impl<S: Clone + Send + Sync + 'static> Default for Router<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: Clone + Send + Sync + 'static> Router<S> {
    /// A router without routes.
    pub fn new() -> Self {
        Self {
            inner: axum::Router::new(),
            routes: Vec::new(),
        }
    }

    /// Routes `path` to `method_router` (axum's `Router::route`, with its panics on an
    /// invalid or overlapping path).
    pub fn route(mut self, path: &str, method_router: MethodRouter<S>) -> Self {
        let (inner, handlers) = method_router.into_parts();
        self.inner = self.inner.route(path, inner);
        self.routes
            .extend(handlers.into_iter().map(|handler| RouteInfo {
                path: path.to_owned(),
                ..handler
            }));
        self
    }

    /// Adds the routes of `other` (axum's `Router::merge`).
    pub fn merge(mut self, other: Router<S>) -> Self {
        self.inner = self.inner.merge(other.inner);
        self.routes.extend(other.routes);
        self
    }

    /// Serves `other` under the prefix `path` (axum's `Router::nest`); its routes are
    /// recorded with the prefix, whose parameters their bindings may name.
    pub fn nest(mut self, path: &str, other: Router<S>) -> Self {
        self.inner = self.inner.nest(path, other.inner);
        let prefix = path.trim_end_matches('/');
        self.routes
            .extend(other.routes.into_iter().map(|route| RouteInfo {
                path: match route.path.as_str() {
                    "/" => prefix.to_owned(),
                    inner => format!("{prefix}{inner}"),
                },
                ..route
            }));
        self
    }

    /// Wraps every route and the fallback in `layer` (axum's `Router::layer`).
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<std::convert::Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        self.inner = self.inner.layer(layer);
        self
    }

    /// Wraps every route, not the fallback, in `layer` (axum's `Router::route_layer`).
    pub fn route_layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<std::convert::Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        self.inner = self.inner.route_layer(layer);
        self
    }

    /// Provides the state (axum's `Router::with_state`).
    pub fn with_state<S2>(self, state: S) -> Router<S2> {
        Router {
            inner: self.inner.with_state(state),
            routes: self.routes,
        }
    }

    /// Every handler routed, with its path, method and requirement.
    pub fn routes(&self) -> &[RouteInfo] {
        &self.routes
    }

    /// Checks that every claim a handler binds to a path parameter (`sub = "username"`)
    /// names a parameter of its route's path: the first mistake found.
    pub fn check(&self) -> Result<(), RouteError> {
        for route in &self.routes {
            let Some(requirement) = route.requirement else {
                continue;
            };
            for binding in requirement.bindings {
                if !path_parameters(&route.path).any(|p| p == binding.param) {
                    return Err(RouteError {
                        path: route.path.clone(),
                        handler: route.handler,
                        claim: binding.claim,
                        param: binding.param,
                    });
                }
            }
        }
        Ok(())
    }

    /// The axum `Router` to add layers to and serve, after [`check`](Router::check).
    ///
    /// # Panics
    ///
    /// When a handler binds a claim to a path parameter its route's path does not
    /// contain, naming the handler, the parameter and the path: a mistake in the program,
    /// reported at start-up rather than as a 500 at the first request (as axum reports an
    /// invalid path).
    pub fn into_router(self) -> axum::Router<S> {
        if let Err(e) = self.check() {
            panic!("{e}");
        }
        self.inner
    }

    /// The axum router as it is, for [`testing`](crate::testing).
    #[cfg(feature = "testing")]
    pub(crate) fn service(&self) -> axum::Router<S> {
        self.inner.clone()
    }
}

impl<S> fmt::Debug for Router<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Router")
            .field("routes", &self.routes)
            .finish_non_exhaustive()
    }
}

/// The parameter names of an axum path template.
fn path_parameters(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter_map(parameter_name)
}

/// The parameter a segment of a path template names: `{name}` and `{*name}` (`{{` and
/// `}}` are literal braces).
pub(crate) fn parameter_name(segment: &str) -> Option<&str> {
    let name = segment.strip_prefix('{')?.strip_suffix('}')?;
    if name.starts_with('{') {
        return None;
    }
    Some(name.strip_prefix('*').unwrap_or(name))
}

/// A handler binds a claim to a path parameter that its route's path does not contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteError {
    path: String,
    handler: &'static str,
    claim: &'static str,
    param: &'static str,
}

impl RouteError {
    /// The route's path template.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The handler's type name.
    pub fn handler(&self) -> &'static str {
        self.handler
    }

    /// The path parameter the handler's requirement names.
    pub fn param(&self) -> &'static str {
        self.param
    }
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "route `{}`: handler `{}` binds claim `{}` to path parameter `{}`, which the \
             path does not contain (add `{{{}}}` to the path or change the binding)",
            self.path, self.handler, self.claim, self.param, self.param
        )
    }
}

impl std::error::Error for RouteError {}
