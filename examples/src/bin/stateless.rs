//! Run with: `cargo run --bin stateless`
//!
//! flask-stateless-auth's quick start on `BIND` (default 127.0.0.1:3000): opaque tokens
//! checked against the store. Its four quick-start tokens are loaded at start-up as a
//! development fixture. Environment: the `AUTH_*` variables (`AUTH_ISSUER` defaults to
//! `stateless`, `AUTH_REDIS_URL` shares the tokens between instances with feature
//! `redis`), `RUST_LOG` (default `info`).

use std::process::ExitCode;

use auth_examples::{bind_from_env, env, exit, init_logging, ports::stateless, serve};

#[tokio::main]
async fn main() -> ExitCode {
    exit(
        async {
            init_logging();
            let manager = stateless::manager_from_env(env)?;
            stateless::load_fixture(&manager)
                .await
                .map_err(|e| format!("cannot load the development tokens: {e}"))?;
            tracing::warn!(
                "DEVELOPMENT FIXTURE: the seed's four quick-start tokens \
                 (first_user_access_token, ...) are valid on this server; real tokens are \
                 issued random by `login_opaque`"
            );
            let listener = bind_from_env().await?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            println!("stateless server on http://{addr}");
            serve(listener, stateless::app(manager)).await
        }
        .await,
    )
}
