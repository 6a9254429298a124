//! The dependency graph stays on one crypto backend: jsonwebtoken's `aws_lc_rs`. With both
//! backends jsonwebtoken panics at the first signature, and the `rust_crypto` one brings the
//! `rsa` crate (RUSTSEC-2023-0071) into the graph.

use std::path::Path;

fn locked_packages() -> Vec<String> {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    let text = std::fs::read_to_string(&lock).expect("Cargo.lock is committed");
    text.lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .map(|n| n.trim_end_matches('"').to_owned())
        .collect()
}

#[test]
fn only_the_aws_lc_backend_is_in_the_graph() {
    let packages = locked_packages();
    assert!(
        packages.iter().any(|p| p == "aws-lc-rs"),
        "aws-lc-rs is the backend"
    );
    for banned in ["rsa", "p256", "p384", "ed25519-dalek"] {
        assert!(
            !packages.iter().any(|p| p == banned),
            "`{banned}` entered the graph: is jsonwebtoken's `rust_crypto` feature on?"
        );
    }
}

#[test]
fn a_real_signature_round_trips_on_the_chosen_backend() {
    // With no backend, or two, jsonwebtoken panics here rather than at compile time.
    let manager = auth_runtime::AuthManager::builder()
        .issuer("backend")
        .signing_key(auth_runtime::Key::hmac(auth_runtime::Algorithm::HS256, [3u8; 32]).unwrap())
        .build()
        .unwrap();
    let token = manager.auth_token("alice").sign().unwrap();
    assert_eq!(manager.verify(&token).unwrap().sub(), "alice");
}
