//! Run with: `NSJ_AUTH_JWT_SECRET=$(openssl rand -base64 48) cargo run --features introspection --bin nsj`
//!
//! nsj-flask-auth's quick start on `BIND` (default 127.0.0.1:3000): a JWT in
//! `NSJ_AUTH_TOKEN_HEADER` (default `Authorization`), API keys in `X-API-Key`, opaque tokens
//! checked by the RFC 7662 endpoint at `AUTH_INTROSPECTION_URL`
//! (`AUTH_INTROSPECTION_CLIENT_ID`, `AUTH_INTROSPECTION_CLIENT_SECRET`). A development API
//! key is issued at start-up and printed (`API_KEY=...`). `NSJ_AUTH_ALGORITHMS` lists the
//! HMAC algorithms accepted for the secret (default `HS256`); the other `AUTH_*` variables
//! as for every example.

use std::process::ExitCode;

use auth_examples::{bind_from_env, env, exit, init_logging, ports::nsj, serve};

#[tokio::main]
async fn main() -> ExitCode {
    exit(
        async {
            init_logging();
            let manager = nsj::manager_from_env(env)?;
            if env(nsj::INTROSPECTION_URL).is_none() {
                tracing::warn!(
                    "{} is not set: /introspected knows no token",
                    nsj::INTROSPECTION_URL
                );
            }
            let key = manager
                .issue_api_key(manager.auth_token("dev"), nsj::DEV_KEY_LIFETIME)
                .await
                .map_err(|e| format!("cannot issue the development API key: {e}"))?;
            let listener = bind_from_env().await?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            println!("nsj server on http://{addr}");
            println!("API_KEY={}", key.key());
            serve(listener, nsj::app(manager)).await
        }
        .await,
    )
}
