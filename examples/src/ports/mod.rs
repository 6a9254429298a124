//! One module per seed's README example, ported route for route (the product's contract
//! lists the routes and answers of each). Each has a binary of the same name in
//! `src/bin/`.
//!
//! - [`parity`](mod@parity), Flask_PyJWT.
//! - [`sessions`](mod@sessions), the real application: login, rotation, logout.
//! - [`login`](mod@login), Flask-JWT-Login: a login form, a page behind a cookie.
//! - [`router`](mod@router), flask-jwt-router: protect-all with an allow-list, entities
//!   named by the token, deny-by-default routing.
//! - [`stateless`](mod@stateless), flask-stateless-auth: opaque tokens checked against
//!   the store.
//! - [`nsj`](mod@nsj), nsj-flask-auth: a JWT in a configurable header, API keys, opaque
//!   tokens checked by an introspection endpoint (feature `introspection`).
//! - [`provider`](mod@provider), a verify-only service trusting an identity provider
//!   (feature `jwks`).

pub mod login;
#[cfg(feature = "introspection")]
pub mod nsj;
pub mod parity;
pub mod provider;
pub mod router;
pub mod sessions;
pub mod stateless;
