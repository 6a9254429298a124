//! A handler's access rule as a type-level fact: `#[require_token]` makes a
//! [`Guard`] the handler's first argument and `#[public]` a [`Public`], so axum's
//! extractor tuple for the handler starts with one of them. [`Declared`] holds exactly for
//! those tuples, which lets [`routing`](super::routing) refuse to compile an undeclared
//! handler and lets [`requirement_of`] read a handler's requirement from its value.

use std::convert::Infallible;

use axum::{extract::FromRequestParts, handler::Handler, http::request::Parts};

use super::guard::{Guard, RequirementSpec};
use crate::policy::requirement::Requirement;

/// The explicit "no token needed" marker: `#[public]` inserts it as the handler's first
/// argument (or take it yourself, `async fn health(_: Public)`), so a public route is a
/// decision written on the handler, not an omission.
///
/// It extracts nothing and never fails. It does not lift a protect-all layer
/// ([`ProtectAllLayer`](crate::ProtectAllLayer)): a public handler behind one needs its
/// route on the layer's allow-list or ignored routes too.
#[derive(Debug, Clone, Copy, Default)]
pub struct Public;

impl<S: Send + Sync> FromRequestParts<S> for Public {
    type Rejection = Infallible;

    async fn from_request_parts(_: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Public)
    }
}

mod sealed {
    pub trait Sealed {}
}

/// Holds for the extractor tuple of a handler that declares its access rule: its first
/// argument is a [`Guard`] (`#[require_token(...)]`) or [`Public`] (`#[public]`).
///
/// Sealed: only those tuples implement it, so a handler cannot claim a rule it does not
/// carry. The routing functions of [`routing`](super::routing) require it.
#[diagnostic::on_unimplemented(
    message = "this handler declares no access rule",
    label = "add `#[require_token(...)]` or `#[public]` to this handler",
    note = "routes registered through `auth_runtime::routing` are deny-by-default: every \
            handler says who may call it"
)]
pub trait Declared: sealed::Sealed {
    /// The handler's requirement; `None` for a public handler.
    const REQUIREMENT: Option<&'static Requirement>;
}

macro_rules! declared_tuples {
    ($($ty:ident),*) => {
        impl<M, R: RequirementSpec, $($ty,)*> sealed::Sealed for (M, Guard<R>, $($ty,)*) {}
        #[diagnostic::do_not_recommend]
        impl<M, R: RequirementSpec, $($ty,)*> Declared for (M, Guard<R>, $($ty,)*) {
            const REQUIREMENT: Option<&'static Requirement> = Some(R::REQUIREMENT);
        }
        impl<M, $($ty,)*> sealed::Sealed for (M, Public, $($ty,)*) {}
        #[diagnostic::do_not_recommend]
        impl<M, $($ty,)*> Declared for (M, Public, $($ty,)*) {
            const REQUIREMENT: Option<&'static Requirement> = None;
        }
    };
}

// axum's handlers take up to 16 arguments: the marker and 15 others.
declared_tuples!();
declared_tuples!(T1);
declared_tuples!(T1, T2);
declared_tuples!(T1, T2, T3);
declared_tuples!(T1, T2, T3, T4);
declared_tuples!(T1, T2, T3, T4, T5);
declared_tuples!(T1, T2, T3, T4, T5, T6);
declared_tuples!(T1, T2, T3, T4, T5, T6, T7);
declared_tuples!(T1, T2, T3, T4, T5, T6, T7, T8);
declared_tuples!(T1, T2, T3, T4, T5, T6, T7, T8, T9);
declared_tuples!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10);
declared_tuples!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11);
declared_tuples!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12);
declared_tuples!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13);
declared_tuples!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14);
declared_tuples!(
    T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15
);

/// The requirement a handler declares, read from the handler itself: `Some` for
/// `#[require_token(...)]`, `None` for `#[public]`. For tools: route tables, docs, tests.
///
/// ```
/// use auth_runtime::{public, require_token, routing::requirement_of};
///
/// #[require_token(fresh)]
/// async fn delete_account() {}
///
/// #[public]
/// async fn health() -> &'static str { "ok" }
///
/// assert!(requirement_of::<_, _, ()>(&delete_account).unwrap().requires_fresh());
/// assert!(requirement_of::<_, _, ()>(&health).is_none());
/// ```
pub fn requirement_of<H, T, S>(_handler: &H) -> Option<&'static Requirement>
where
    H: Handler<T, S>,
    T: Declared,
{
    T::REQUIREMENT
}
