//! The routing functions and [`MethodRouter`]: axum's, with the [`Declared`] bound on
//! every handler.

use axum::{handler::Handler, http::Method, routing as axum_routing};

use super::RouteInfo;
use crate::request::declared::Declared;

/// The handlers of one path, by method: axum's `MethodRouter`, accepting only handlers
/// that declare their access rule.
#[must_use]
pub struct MethodRouter<S = ()> {
    inner: axum_routing::MethodRouter<S>,
    handlers: Vec<RouteInfo>,
}

impl<S: Clone + Send + Sync + 'static> MethodRouter<S> {
    /// Adds the methods of `other` (axum's `MethodRouter::merge`; panics as it does when
    /// both route one method).
    pub fn merge(mut self, other: MethodRouter<S>) -> Self {
        self.inner = self.inner.merge(other.inner);
        self.handlers.extend(other.handlers);
        self
    }
}

macro_rules! methods {
    ($($name:ident => $method:ident),* $(,)?) => {
        impl<S: Clone + Send + Sync + 'static> MethodRouter<S> {
            $(
                #[doc = concat!("Also routes `", stringify!($method), "` requests, to `handler`, which must carry `#[require_token(...)]` or `#[public]`.")]
                pub fn $name<H, T>(mut self, handler: H) -> Self
                where
                    H: Handler<T, S>,
                    T: Declared + 'static,
                {
                    self.inner = self.inner.$name(handler);
                    self.handlers.push(RouteInfo::of::<H, T>(Some(Method::$method)));
                    self
                }
            )*
        }
    };
}

methods!(
    get => GET,
    post => POST,
    put => PUT,
    patch => PATCH,
    delete => DELETE,
    head => HEAD,
    options => OPTIONS,
    trace => TRACE,
);

// The functions are written out, not generated, so the compiler's note on an undeclared
// handler shows the bound and nothing else.

impl<S> MethodRouter<S> {
    fn one<H, T: Declared>(inner: axum_routing::MethodRouter<S>, method: Option<Method>) -> Self {
        Self {
            inner,
            handlers: vec![RouteInfo::of::<H, T>(method)],
        }
    }
}

/// Routes `GET` requests to `handler`, which must carry `#[require_token(...)]` or
/// `#[public]`.
pub fn get<H, T, S>(handler: H) -> MethodRouter<S>
where
    H: Handler<T, S>,
    T: Declared + 'static,
    S: Clone + Send + Sync + 'static,
{
    MethodRouter::one::<H, T>(axum_routing::get(handler), Some(Method::GET))
}

/// Routes `POST` requests to `handler`, which must carry `#[require_token(...)]` or
/// `#[public]`.
pub fn post<H, T, S>(handler: H) -> MethodRouter<S>
where
    H: Handler<T, S>,
    T: Declared + 'static,
    S: Clone + Send + Sync + 'static,
{
    MethodRouter::one::<H, T>(axum_routing::post(handler), Some(Method::POST))
}

/// Routes `PUT` requests to `handler`, which must carry `#[require_token(...)]` or
/// `#[public]`.
pub fn put<H, T, S>(handler: H) -> MethodRouter<S>
where
    H: Handler<T, S>,
    T: Declared + 'static,
    S: Clone + Send + Sync + 'static,
{
    MethodRouter::one::<H, T>(axum_routing::put(handler), Some(Method::PUT))
}

/// Routes `PATCH` requests to `handler`, which must carry `#[require_token(...)]` or
/// `#[public]`.
pub fn patch<H, T, S>(handler: H) -> MethodRouter<S>
where
    H: Handler<T, S>,
    T: Declared + 'static,
    S: Clone + Send + Sync + 'static,
{
    MethodRouter::one::<H, T>(axum_routing::patch(handler), Some(Method::PATCH))
}

/// Routes `DELETE` requests to `handler`, which must carry `#[require_token(...)]` or
/// `#[public]`.
pub fn delete<H, T, S>(handler: H) -> MethodRouter<S>
where
    H: Handler<T, S>,
    T: Declared + 'static,
    S: Clone + Send + Sync + 'static,
{
    MethodRouter::one::<H, T>(axum_routing::delete(handler), Some(Method::DELETE))
}

/// Routes `HEAD` requests to `handler`, which must carry `#[require_token(...)]` or
/// `#[public]`.
pub fn head<H, T, S>(handler: H) -> MethodRouter<S>
where
    H: Handler<T, S>,
    T: Declared + 'static,
    S: Clone + Send + Sync + 'static,
{
    MethodRouter::one::<H, T>(axum_routing::head(handler), Some(Method::HEAD))
}

/// Routes `OPTIONS` requests to `handler`, which must carry `#[require_token(...)]` or
/// `#[public]`.
pub fn options<H, T, S>(handler: H) -> MethodRouter<S>
where
    H: Handler<T, S>,
    T: Declared + 'static,
    S: Clone + Send + Sync + 'static,
{
    MethodRouter::one::<H, T>(axum_routing::options(handler), Some(Method::OPTIONS))
}

/// Routes `TRACE` requests to `handler`, which must carry `#[require_token(...)]` or
/// `#[public]`.
pub fn trace<H, T, S>(handler: H) -> MethodRouter<S>
where
    H: Handler<T, S>,
    T: Declared + 'static,
    S: Clone + Send + Sync + 'static,
{
    MethodRouter::one::<H, T>(axum_routing::trace(handler), Some(Method::TRACE))
}

/// Routes requests of every method to `handler`, which must carry `#[require_token(...)]`
/// or `#[public]`.
pub fn any<H, T, S>(handler: H) -> MethodRouter<S>
where
    H: Handler<T, S>,
    T: Declared + 'static,
    S: Clone + Send + Sync + 'static,
{
    MethodRouter::one::<H, T>(axum_routing::any(handler), None)
}

impl<S> MethodRouter<S> {
    pub(super) fn into_parts(self) -> (axum_routing::MethodRouter<S>, Vec<RouteInfo>) {
        (self.inner, self.handlers)
    }
}
