//! The request side: the [`Guard`](guard::Guard) that applies a route's requirement, the
//! [`RequireTokenLayer`](layer::RequireTokenLayer) that applies one to a whole router,
//! the extractors handlers take ([`CurrentToken`](crate::CurrentToken),
//! [`CurrentUser`](user::CurrentUser), [`Entity`](entity::Entity)) and the responses of
//! refused requests. Deny by default: [`ProtectAllLayer`](protect::ProtectAllLayer)
//! protects a whole router but for listed routes, and [`routing`] refuses to compile a
//! handler that declares no access rule (`declared`).
//!
//! The path of one request: the guard finds the token where the route reads it
//! (`token::location`), verifies it through the manager (`token::verify`), applies the
//! route's requirement (`policy`), records its decision in the request, and refuses with
//! an [`AuthRejection`](response::AuthRejection) otherwise.
//!
//! May use: every other module. Nothing imports `request` but the crate root.

pub(crate) mod declared;
pub(crate) mod entity;
pub(crate) mod guard;
pub(crate) mod jwks;
pub mod layer;
pub(crate) mod protect;
pub mod redirect;
pub(crate) mod response;
pub mod routing;
mod trace;
pub(crate) mod user;
