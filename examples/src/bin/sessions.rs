//! Run with: `AUTH_SECRET=$(openssl rand -base64 48) cargo run --bin sessions`
//! (add `--features redis` and `AUTH_REDIS_URL=redis://127.0.0.1:6379/` to share the
//! sessions between instances).
//!
//! Login, refresh with rotation, logout on `BIND` (default 127.0.0.1:3000). Environment:
//! the `AUTH_*` variables (`AUTH_ISSUER` defaults to `sessions`), `AUTH_REDIS_URL`,
//! `AUTH_REFRESH_GRACE` (seconds, default 10), `RUST_LOG` (default `info`).

use std::process::ExitCode;

use auth_examples::{bind_from_env, exit, init_logging, ports::sessions, serve};

#[tokio::main]
async fn main() -> ExitCode {
    exit(run().await)
}

async fn run() -> Result<(), String> {
    init_logging();
    let manager =
        sessions::manager_from_env(|name| std::env::var(name).ok()).map_err(|e| e.to_string())?;
    let listener = bind_from_env().await?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let store = match std::env::var(auth_runtime::config::env::REDIS_URL) {
        Ok(_) => "Redis",
        Err(_) => "memory (this process only)",
    };
    println!("sessions server on http://{addr} (store: {store})");
    serve(listener, sessions::app(manager)).await
}
