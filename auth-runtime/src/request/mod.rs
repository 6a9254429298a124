//! The request side: the [`Guard`](guard::Guard) that applies a route's requirement, the
//! [`RequireTokenLayer`](layer::RequireTokenLayer) that applies one to a whole router,
//! the extractors handlers take ([`CurrentToken`](crate::CurrentToken),
//! [`CurrentUser`](user::CurrentUser)) and the responses of refused requests.
//!
//! The path of one request: the guard finds the token where the route reads it
//! (`token::location`), verifies it through the manager (`token::verify`), applies the
//! route's requirement (`policy`), records its decision in the request, and refuses with
//! an [`AuthRejection`](response::AuthRejection) otherwise.
//!
//! May use: every other module. Nothing imports `request` but the crate root.

pub(crate) mod guard;
pub(crate) mod jwks;
pub mod layer;
pub mod redirect;
pub(crate) mod response;
pub(crate) mod user;
