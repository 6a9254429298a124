//! Runnable servers built on `auth-runtime`, one concept each. Their routers live here so
//! the test suite can serve exactly what the binaries serve.
//!
//! - [`quickstart`]: `cargo run --bin quickstart`, no configuration at all.
//! - [`ports`]: one module per seed's README example, ported route for route
//!   ([`ports::parity`] is Flask_PyJWT's).
//! - [`bench`](mod@bench): the routes the load benchmark compares side by side.
//! - [`pages`]: what the examples' HTML pages share (the login form, escaping).
//! - [`users`]: the users of the examples with a password login.
//! - [`serve`](mod@serve): logging, the `BIND` address, the request log and the server
//!   loop every binary shares.

pub mod bench;
pub mod pages;
pub mod ports;
pub mod quickstart;
pub mod serve;
pub mod users;

pub use serve::{
    Limits, bind_from_env, builder_from_env, env, exit, init_logging, run_example, serve,
    serve_with,
};
