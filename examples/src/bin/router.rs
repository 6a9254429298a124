//! Run with: `AUTH_SECRET=$(openssl rand -base64 48) cargo run --bin router`
//!
//! flask-jwt-router's README example on `BIND` (default 127.0.0.1:3000): every route
//! protected but `POST /api/v1/register`, `POST /api/v1/login` and `GET /`; tokens in the
//! `Authorization` header or as `?auth=`. Environment: the `AUTH_*` variables
//! (`AUTH_ISSUER` defaults to `router`, `AUTH_AUTH_MAX_AGE` to 30 days), `RUST_LOG`
//! (default `info`).

use std::process::ExitCode;

use auth_examples::{env, ports::router, run_example};

#[tokio::main]
async fn main() -> ExitCode {
    run_example(
        || router::manager_from_env(env),
        router::app,
        |addr, _| {
            format!(
                "router server on http://{addr} (API under {})",
                router::API_NAME
            )
        },
    )
    .await
}
