//! Route-wide protection: one [`Requirement`] for every route of a router, as a tower
//! layer (flask-jwt-router's "every route is protected" model, without its prefix-matching
//! allow-list).
//!
//! Put it on the protected routes with `route_layer`, so requests to paths that do not
//! exist still answer 404 rather than 401, and merge the public routes in beside them:
//!
//! ```
//! use auth_runtime::{AuthManager, RequireTokenLayer, Requirement, CurrentToken};
//! use axum::{routing::get, Extension, Router};
//! # fn app(manager: AuthManager) -> Router {
//! let public = Router::new().route("/health", get(|| async { "ok" }));
//! let protected = Router::new()
//!     .route("/orders", get(|token: CurrentToken| async move { token.sub().to_owned() }))
//!     .route("/orders/{id}", get(|| async { "order" }))
//!     .route_layer(RequireTokenLayer::new(Requirement::new()));
//! public.merge(protected).layer(Extension(manager))
//! # }
//! ```
//!
//! The layer applies the same decisions as `#[require_token]` (the order, the statuses,
//! the error handler), records its decision for [`CurrentToken`](crate::CurrentToken)
//! and hands the request on untouched. A handler may add its own `#[require_token]` on top:
//! both must accept, and the handler sees the token both accepted (see
//! [`authorize`](crate::authorize)).

use std::{
    convert::Infallible,
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use axum::{
    body::Body,
    http::Request,
    response::{IntoResponse, Response},
};
use tower_layer::Layer;
use tower_service::Service;

use super::{guard::authorize, protect::Exemptions};
use crate::policy::requirement::Requirement;

/// Applies a [`Requirement`] to every request of the routes it wraps. See the
/// [module docs](self).
#[derive(Debug, Clone, Copy)]
pub struct RequireTokenLayer {
    requirement: Requirement,
}

impl RequireTokenLayer {
    /// A layer that refuses every request whose token does not meet `requirement`.
    pub const fn new(requirement: Requirement) -> Self {
        Self { requirement }
    }
}

impl<S> Layer<S> for RequireTokenLayer {
    type Service = RequireToken<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequireToken::new(inner, self.requirement, None)
    }
}

/// The service [`RequireTokenLayer`] and [`ProtectAllLayer`](crate::ProtectAllLayer) wrap
/// around routes.
#[derive(Debug, Clone)]
pub struct RequireToken<S> {
    inner: S,
    requirement: Requirement,
    exemptions: Option<Arc<Exemptions>>,
}

impl<S> RequireToken<S> {
    pub(crate) fn new(
        inner: S,
        requirement: Requirement,
        exemptions: Option<Arc<Exemptions>>,
    ) -> Self {
        Self {
            inner,
            requirement,
            exemptions,
        }
    }

    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The wrapped service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// Unwraps the service.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

/// The future [`RequireToken`] returns.
pub type ResponseFuture = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

impl<S> Service<Request<Body>> for RequireToken<S>
where
    S: Service<Request<Body>, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = ResponseFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        // The service that was polled ready is the one to call: take it, and leave a
        // clone in its place for the next request (tower's usual idiom).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let requirement = self.requirement;
        if let Some(exemptions) = &self.exemptions
            && exemptions.exempts(&request)
        {
            return Box::pin(inner.call(request));
        }
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            if let Err(rejection) = authorize(&mut parts, &(), &requirement).await {
                return Ok(rejection.into_response());
            }
            inner.call(Request::from_parts(parts, body)).await
        })
    }
}
