//! Run with: `AUTH_OIDC_ISSUER=https://idp.example.com/realms/main AUTH_AUDIENCE=my-api
//! cargo run --features jwks --bin provider` (or `AUTH_JWKS_URL=https://.../jwks.json` with
//! `AUTH_ISSUER`, the `iss` its tokens carry).
//!
//! A verify-only service trusting an identity provider, on `BIND` (default
//! 127.0.0.1:3000). Environment: `AUTH_JWKS_URL` or `AUTH_OIDC_ISSUER`, `AUTH_ISSUER`,
//! `AUTH_AUDIENCE` (optional), `AUTH_LEEWAY`, `RUST_LOG` (default `info`). The provider
//! may be down at start: `/health` says whether its keys are loaded.

use std::process::ExitCode;

use auth_examples::{env, ports::provider, run_example};

#[tokio::main]
async fn main() -> ExitCode {
    let app = |manager: auth_runtime::AuthManager| {
        // Keys before the first request, without a provider that is down stopping the
        // start.
        let warm = manager.clone();
        tokio::spawn(async move { warm.load_provider_keys().await });
        provider::app(manager)
    };
    run_example(
        || provider::manager_from_env(env),
        app,
        |addr, manager| {
            format!(
                "provider server on http://{addr} (trusting {})",
                manager.issuer()
            )
        },
    )
    .await
}
