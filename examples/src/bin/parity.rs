//! Run with: `AUTH_SECRET=$(openssl rand -base64 48) cargo run --release --bin parity`
//!
//! Flask_PyJWT's README example on `BIND` (default 127.0.0.1:3000). Environment:
//! `AUTH_SECRET` (HS*), `AUTH_ISSUER` (default `parity`), `AUTH_ALGORITHM` (default HS256),
//! `AUTH_PRIVATE_KEY_FILE` / `AUTH_PUBLIC_KEY_FILE` (PEM, for the other algorithms),
//! `RUST_LOG` (default `info`).

use std::process::ExitCode;

use auth_examples::{env, ports::parity, run_example};

#[tokio::main]
async fn main() -> ExitCode {
    run_example(
        || parity::manager_from_env(env),
        parity::app,
        |addr, manager| {
            format!(
                "parity server on http://{addr} ({:?})",
                manager.signing_algorithm()
            )
        },
    )
    .await
}
