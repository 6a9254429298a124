//! Run with: `AUTH_SECRET=$(openssl rand -base64 48) cargo run --release --bin bench_server`
//!
//! Serves `GET /open`, `GET /protected`, `GET /users/{username}`, `GET /opaque` and
//! `GET /api-key` on `BIND` (default 127.0.0.1:3000), and prints a credential for each
//! guarded route (`TOKEN=`, `USER_TOKEN=`, `OPAQUE_TOKEN=` and `API_KEY=` lines) for the
//! load generator. Reads `AUTH_*` like any service
//! (`AUTH_ISSUER` defaults to `bench`); `WORKERS` sets the runtime's worker threads.

use std::{process::ExitCode, time::Duration};

use auth_examples::{bench, bind_from_env, exit};
use serde_json::json;

fn main() -> ExitCode {
    exit(run())
}

/// Logs server faults, but no line per request: the load benchmark measures the routes.
fn run() -> Result<(), String> {
    auth_examples::init_logging();
    let manager =
        auth_runtime::AuthManagerBuilder::from_env_with(|name| match std::env::var(name).ok() {
            None if name == auth_runtime::config::env::ISSUER => Some("bench".to_owned()),
            value => value,
        })
        .and_then(|b| b.build())
        .map_err(|e| e.to_string())?;
    let token = manager
        .auth_token("alice")
        .sign()
        .map_err(|e| e.to_string())?;
    let user_token = manager
        .auth_token("alice")
        .scope(json!({"admin": true}))
        .sign()
        .map_err(|e| e.to_string())?;
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if let Some(workers) = std::env::var("WORKERS").ok().and_then(|w| w.parse().ok()) {
        runtime.worker_threads(workers);
    }
    let runtime = runtime.enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let listener = bind_from_env().await?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let opaque = manager
            .login_opaque(manager.auth_token("alice"))
            .await
            .map_err(|e| e.to_string())?;
        let api_key = manager
            .issue_api_key(manager.auth_token("alice"), Duration::from_secs(3600))
            .await
            .map_err(|e| e.to_string())?;
        println!("TOKEN={token}");
        println!("USER_TOKEN={user_token}");
        println!("OPAQUE_TOKEN={}", opaque.auth_token);
        println!("API_KEY={}", api_key.key());
        println!("listening on http://{addr}");
        axum::serve(listener, bench::app(manager))
            .await
            .map_err(|e| e.to_string())
    })
}
