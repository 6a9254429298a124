//! Policy: what a route requires ([`requirement`]) and the one algebra that decides
//! whether a token's claims meet it ([`matching`]). Pure data and pure functions: no
//! request, no manager, no I/O.
//!
//! May use: `token` (the kinds and locations a requirement names). Never `manager` or
//! `request`.

pub mod matching;
pub mod requirement;
