//! Policy: what a route requires ([`requirement`]), the one algebra that decides
//! whether a token's claims meet it ([`matching`]), and what a cookie-token request must
//! show of its origin (`csrf`). Pure data and pure functions: no manager, no I/O.
//!
//! May use: `token` (the kinds and locations a requirement names), `error`. Never
//! `manager` or `request`.

pub(crate) mod csrf;
pub mod matching;
pub mod requirement;
