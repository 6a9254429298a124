//! Test keys and managers: the HS* secret, the PEM pairs under `tests/keys/`, and managers
//! built from them.

use std::path::PathBuf;

use auth_runtime::{Algorithm, AuthManager, Key};

pub const ISSUER: &str = "tests";
pub const SECRET: &str = "an-hs256-test-secret-that-is-long-enough";

pub fn key_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("keys")
        .join(name)
}

pub fn pem(name: &str) -> Vec<u8> {
    std::fs::read(key_path(name)).expect("test key file")
}

/// The files of one asymmetric algorithm's key pair.
pub fn key_files(algorithm: Algorithm) -> (&'static str, &'static str) {
    match algorithm {
        Algorithm::ES256 => ("ec256-private.pem", "ec256-public.pem"),
        Algorithm::ES384 => ("ec384-private.pem", "ec384-public.pem"),
        Algorithm::EdDSA => ("ed25519-private.pem", "ed25519-public.pem"),
        _ => ("rsa-private.pem", "rsa-public.pem"),
    }
}

/// A signing key for `algorithm`: the test secret for HS*, the test PEM pair otherwise.
pub fn signing_key(algorithm: Algorithm) -> Key {
    match algorithm {
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
            Key::hmac(algorithm, hmac_secret(algorithm)).expect("test secret")
        }
        _ => {
            let (private, public) = key_files(algorithm);
            Key::from_pem(algorithm, pem(private), pem(public)).expect("test key pair")
        }
    }
}

pub fn hmac_secret(algorithm: Algorithm) -> Vec<u8> {
    let len = match algorithm {
        Algorithm::HS384 => 48,
        Algorithm::HS512 => 64,
        _ => 32,
    };
    SECRET.bytes().cycle().take(len.max(SECRET.len())).collect()
}

/// An HS256 manager with the default policy.
pub fn manager() -> AuthManager {
    manager_for(Algorithm::HS256)
}

pub fn manager_for(algorithm: Algorithm) -> AuthManager {
    AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(signing_key(algorithm))
        .build()
        .expect("test manager")
}

/// The encoding key behind `signing_key`, for forging tokens by hand.
pub fn encoding_key(algorithm: Algorithm) -> jsonwebtoken::EncodingKey {
    match algorithm {
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
            jsonwebtoken::EncodingKey::from_secret(&hmac_secret(algorithm))
        }
        Algorithm::ES256 | Algorithm::ES384 => {
            jsonwebtoken::EncodingKey::from_ec_pem(&pem(key_files(algorithm).0)).expect("ec key")
        }
        Algorithm::EdDSA => {
            jsonwebtoken::EncodingKey::from_ed_pem(&pem(key_files(algorithm).0)).expect("ed key")
        }
        _ => {
            jsonwebtoken::EncodingKey::from_rsa_pem(&pem(key_files(algorithm).0)).expect("rsa key")
        }
    }
}
