//! Run with: `cargo run --bin quickstart` (no configuration needed).
//!
//! Starts the quickstart server on `BIND` (default 127.0.0.1:3000) with an ephemeral
//! development key, and prints ready-to-use tokens and `curl` lines.

use auth_examples::{bind_address, quickstart, serve};
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), String> {
    let manager = quickstart::development_manager().map_err(|e| e.to_string())?;
    let addr = bind_address()?;
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
    serve(quickstart::app(manager)).await
}
