//! Key files as `openssl` writes them: PKCS#8, PKCS#1 RSA and SEC1 EC keys all sign and
//! verify; a wrong file is refused at start-up with the command that makes the right one,
//! naming the setting (or environment variable) it came from.

mod common;

use auth_runtime::{Algorithm, AuthManager, AuthManagerBuilder, ConfigError, Key};
use common::*;

/// A manager from `private`/`public` under `tests/keys/`, which must sign a token that
/// then passes the guard over HTTP.
async fn assert_signs_and_verifies(algorithm: Algorithm, private: &str, public: &str) {
    let key = Key::from_pem(algorithm, pem(private), pem(public))
        .unwrap_or_else(|e| panic!("{private} for {algorithm:?}: {e}"));
    let manager = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(key)
        .build()
        .unwrap();
    let server = TestServer::start(
        axum::Router::new().route(
            "/me",
            axum::routing::get(|t: auth_runtime::CurrentToken| async move { t.sub().to_owned() }),
        ),
        manager.clone(),
    )
    .await;
    let res = server
        .get_with_token("/me", &auth_token(&manager, "alice"))
        .await;
    assert_eq!((res.status, res.body.as_str()), (200, "alice"), "{private}");
}

#[tokio::test]
async fn sec1_ec_keys_from_openssl_ecparam_are_accepted() {
    assert_signs_and_verifies(
        Algorithm::ES256,
        "ec256-sec1-private.pem",
        "ec256-sec1-public.pem",
    )
    .await;
    assert_signs_and_verifies(
        Algorithm::ES384,
        "ec384-sec1-private.pem",
        "ec384-sec1-public.pem",
    )
    .await;
}

#[tokio::test]
async fn pkcs1_rsa_keys_are_accepted_for_rs_and_ps() {
    for algorithm in [Algorithm::RS256, Algorithm::PS384] {
        assert_signs_and_verifies(algorithm, "rsa-pkcs1-private.pem", "rsa-pkcs1-public.pem").await;
    }
}

#[tokio::test]
async fn pkcs8_keys_still_work_for_every_algorithm() {
    for algorithm in [
        Algorithm::RS256,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::EdDSA,
    ] {
        let (private, public) = key_files(algorithm);
        assert_signs_and_verifies(algorithm, private, public).await;
    }
}

fn refused(algorithm: Algorithm, private: &str, public: &str) -> ConfigError {
    Key::from_pem(algorithm, pem(private), pem(public)).expect_err("refused")
}

#[test]
fn a_sec1_key_on_the_wrong_curve_is_refused() {
    let err = refused(
        Algorithm::ES256,
        "ec384-sec1-private.pem",
        "ec256-public.pem",
    );
    assert!(err.to_string().contains("needs a P-256 key"), "{err}");
}

#[test]
fn an_encrypted_key_is_refused_with_the_command_that_decrypts_it() {
    let err = refused(
        Algorithm::ES256,
        "ec256-encrypted-private.pem",
        "ec256-public.pem",
    );
    assert!(err.to_string().contains("encrypted"), "{err}");
    assert!(err.to_string().contains("openssl pkey -in"), "{err}");
}

#[test]
fn a_key_of_another_family_is_refused_with_the_command_that_makes_the_right_one() {
    let err = refused(
        Algorithm::ES256,
        "rsa-pkcs1-private.pem",
        "ec256-public.pem",
    );
    let text = err.to_string();
    assert!(
        text.contains("`RSA PRIVATE KEY` PEM block is not a ES256 private key"),
        "{text}"
    );
    assert!(text.contains("ec_paramgen_curve:P-256"), "{text}");
}

#[test]
fn a_private_key_given_as_the_public_key_says_how_to_write_the_public_one() {
    let err = Key::verifying_pem(Algorithm::ES256, pem("ec256-sec1-private.pem")).unwrap_err();
    assert!(err.to_string().contains("-pubout"), "{err}");
}

#[test]
fn a_mismatched_pair_is_reported_against_the_private_key() {
    let err = refused(Algorithm::RS256, "rsa-private.pem", "rsa-other-public.pem");
    assert_eq!(err.setting(), "private key");
    assert!(
        err.to_string()
            .contains("does not belong to the public key"),
        "{err}"
    );
}

#[test]
fn a_mismatched_pair_from_the_environment_names_the_private_key_variable() {
    let path = |name: &str| key_path(name).to_string_lossy().into_owned();
    let (private, public) = (path("rsa-private.pem"), path("rsa-other-public.pem"));
    let err = AuthManagerBuilder::from_env_with(|name| match name {
        "AUTH_ISSUER" => Some("svc".to_owned()),
        "AUTH_ALGORITHM" => Some("RS256".to_owned()),
        "AUTH_PRIVATE_KEY_FILE" => Some(private.clone()),
        "AUTH_PUBLIC_KEY_FILE" => Some(public.clone()),
        _ => None,
    })
    .and_then(|b| b.build())
    .expect_err("mismatched pair");
    assert_eq!(err.setting(), "AUTH_PRIVATE_KEY_FILE");
}
