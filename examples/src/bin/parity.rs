//! Run with: `AUTH_SECRET=$(openssl rand -base64 48) cargo run --release --bin parity`
//!
//! Flask_PyJWT's README example on `BIND` (default 127.0.0.1:3000). Environment:
//! `AUTH_SECRET` (HS*), `AUTH_ISSUER` (default `parity`), `AUTH_ALGORITHM` (default HS256),
//! `AUTH_PRIVATE_KEY_FILE` / `AUTH_PUBLIC_KEY_FILE` (PEM, for the other algorithms),
//! `RUST_LOG` (default `info`).

use std::process::ExitCode;

use auth_examples::{bind_from_env, exit, init_logging, ports::parity, serve};

#[tokio::main]
async fn main() -> ExitCode {
    exit(run().await)
}

async fn run() -> Result<(), String> {
    init_logging();
    let manager =
        parity::manager_from_env(|name| std::env::var(name).ok()).map_err(|e| e.to_string())?;
    let listener = bind_from_env().await?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!(
        "parity server on http://{addr} ({:?})",
        manager.signing_algorithm()
    );
    serve(listener, parity::app(manager)).await
}
