//! Run with: `cargo run --bin quickstart` (no configuration needed).
//!
//! Starts the quickstart server on `BIND` (default 127.0.0.1:3000; a host name such as
//! `localhost:3001` works too) with an ephemeral development key, and prints ready-to-use
//! tokens and `curl` lines once the port is bound. Logs one line per request; `RUST_LOG`
//! sets the level (`RUST_LOG=debug` also shows why each refused request was refused).

use std::process::ExitCode;

use auth_examples::{bind_from_env, exit, init_logging, quickstart, serve};
use serde_json::json;

#[tokio::main]
async fn main() -> ExitCode {
    exit(run().await)
}

async fn run() -> Result<(), String> {
    init_logging();
    let manager = quickstart::development_manager().map_err(|e| e.to_string())?;
    let listener = bind_from_env().await?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let sign = |sub: &str, scope: serde_json::Value| manager.auth_token(sub).scope(scope).sign();
    let alice = sign("alice", json!({})).map_err(|e| e.to_string())?;
    let root = sign("root", json!({"admin": true})).map_err(|e| e.to_string())?;
    println!("!! DEVELOPMENT KEY: random, made at start-up; tokens die with this process.");
    println!("!! Never deploy this: configure AUTH_* variables and use AuthManager::from_env().\n");
    println!("listening on http://{addr}\n");
    println!("ALICE={alice}");
    println!("ROOT={root}\n");
    println!(
        "curl -i http://{addr}/me -H \"Authorization: Bearer $ALICE\"            # 200 hello alice"
    );
    println!(
        "curl -i http://{addr}/users/alice -H \"Authorization: Bearer $ALICE\"   # 200 her profile"
    );
    println!(
        "curl -i http://{addr}/users/bob -H \"Authorization: Bearer $ALICE\"     # 403 not hers"
    );
    println!(
        "curl -i http://{addr}/users/bob -H \"Authorization: Bearer $ROOT\"      # 200 admin override"
    );
    println!(
        "curl -i http://{addr}/admin -H \"Authorization: Bearer $ALICE\"         # 403 insufficient_scope"
    );
    println!(
        "curl -i http://{addr}/admin -H \"Authorization: Bearer $ROOT\"          # 200 admin area"
    );
    println!("curl -i http://{addr}/me                                            # 401 no token");
    println!(
        "curl -i http://{addr}/login -H 'Content-Type: application/json' -d '{{\"username\":\"alice\",\"password\":\"alice-password\"}}'"
    );
    serve(listener, quickstart::app(manager)).await
}
