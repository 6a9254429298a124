//! The users every example with a password login knows (the contract gives them all the
//! same two): `alice`/`alice-password` with an empty scope, `root`/`root-password` with
//! `{"admin": true}`.

use serde_json::{Value, json};

/// The scope of `username`, when `password` is theirs (or not asked: `None`, for a
/// refresh that only needs the user's current scope).
pub fn scope_of(username: &str, password: Option<&str>) -> Option<Value> {
    match (username, password) {
        ("alice", Some("alice-password") | None) => Some(json!({})),
        ("root", Some("root-password") | None) => Some(json!({"admin": true})),
        _ => None,
    }
}
