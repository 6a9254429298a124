//! Run with: `AUTH_SECRET=$(openssl rand -base64 48) cargo run --bin sessions`
//! (add `--features redis` and `AUTH_REDIS_URL=redis://127.0.0.1:6379/` to share the
//! sessions between instances).
//!
//! Login, refresh with rotation, logout on `BIND` (default 127.0.0.1:3000). Environment:
//! the `AUTH_*` variables (`AUTH_ISSUER` defaults to `sessions`), `AUTH_REDIS_URL`,
//! `AUTH_REFRESH_GRACE` (seconds, default 10), `RUST_LOG` (default `info`).

use std::process::ExitCode;

use auth_examples::{env, ports::sessions, run_example};

#[tokio::main]
async fn main() -> ExitCode {
    run_example(
        || sessions::manager_from_env(env),
        sessions::app,
        |addr, _| {
            let store = match env(auth_runtime::config::env::REDIS_URL) {
                Some(_) => "Redis",
                None => "memory (this process only)",
            };
            format!("sessions server on http://{addr} (store: {store})")
        },
    )
    .await
}
