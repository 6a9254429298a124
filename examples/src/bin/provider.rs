//! Run with: `AUTH_OIDC_ISSUER=https://idp.example.com/realms/main AUTH_AUDIENCE=my-api
//! cargo run --features jwks --bin provider` (or `AUTH_JWKS_URL=https://.../jwks.json` with
//! `AUTH_ISSUER`, the `iss` its tokens carry).
//!
//! A verify-only service trusting an identity provider, on `BIND` (default
//! 127.0.0.1:3000). Environment: `AUTH_JWKS_URL` or `AUTH_OIDC_ISSUER`, `AUTH_ISSUER`,
//! `AUTH_AUDIENCE` (optional), `AUTH_LEEWAY`, `RUST_LOG` (default `info`). The provider
//! may be down at start: `/health` says whether its keys are loaded.

use std::process::ExitCode;

use auth_examples::{bind_from_env, exit, init_logging, ports::provider, serve};

#[tokio::main]
async fn main() -> ExitCode {
    exit(run().await)
}

async fn run() -> Result<(), String> {
    init_logging();
    let manager =
        provider::manager_from_env(|name| std::env::var(name).ok()).map_err(|e| e.to_string())?;
    let listener = bind_from_env().await?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!(
        "provider server on http://{addr} (trusting {})",
        manager.issuer()
    );
    // Keys before the first request, without a provider that is down stopping the start.
    let warm = manager.clone();
    tokio::spawn(async move { warm.load_provider_keys().await });
    serve(listener, provider::app(manager)).await
}
