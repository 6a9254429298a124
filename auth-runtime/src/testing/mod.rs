//! Helpers for the application's own tests (feature `testing`), derived from the same
//! declarations the routes enforce:
//!
//! - [`TestToken`]: tokens from the application's own manager with any claims, expired,
//!   not yet valid, of the wrong kind, signed by another key, or revoked; no sleeping;
//! - [`probes`]: from a handler's requirement
//!   ([`requirement_of`](crate::routing::requirement_of)), a token that passes and one
//!   token per clause that fails, with the status each must get;
//! - [`assert_anonymous_refused`]: every route of a
//!   [`routing::Router`](crate::routing::Router) that requires a token refuses a request
//!   without one.
//!
//! May use: everything (it drives the public API as a test would).

mod probes;
mod routes;
mod tokens;

pub use self::{
    probes::{Probe, Probes, probes},
    routes::assert_anonymous_refused,
    tokens::TestToken,
};
