//! Run with: `AUTH_SECRET=$(openssl rand -base64 64) cargo run --bin login`, then open
//! `http://localhost:3000/protected`.
//!
//! Flask-JWT-Login's README in a browser, on `BIND` (default 127.0.0.1:3000): users
//! `alice`/`alice-password` and `root`/`root-password`. Environment: the `AUTH_*`
//! variables (`AUTH_ISSUER` defaults to `login`, `AUTH_ALGORITHM` to HS512, which needs a
//! 64-byte `AUTH_SECRET`), `AUTH_REDIS_URL`, `RUST_LOG` (default `info`).

use std::process::ExitCode;

use auth_examples::{env, ports::login, run_example};

#[tokio::main]
async fn main() -> ExitCode {
    run_example(
        || login::manager_from_env(env),
        login::app,
        |addr, _| format!("login server on http://{addr}/protected"),
    )
    .await
}
