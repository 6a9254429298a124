//! The `provider` example over HTTP: a verify-only service trusting an identity provider
//! that the test runs on 127.0.0.1, configured as the binary is, from `AUTH_*` variables.

mod common;

use std::collections::HashMap;

use auth_examples::ports::provider;
use auth_runtime::{Algorithm, AuthManager};
use common::*;

fn from_env(vars: &[(&str, String)]) -> Result<AuthManager, auth_runtime::ConfigError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    provider::manager_from_env(move |name| vars.get(name).cloned())
}

async fn serve(manager: AuthManager) -> TestServer {
    TestServer::start_plain(provider::app(manager)).await
}

#[tokio::test]
async fn the_routes_answer_as_the_contract_says() {
    let key = IdpKey::new("k1", Algorithm::RS256);
    let idp = Idp::start(&[&key]).await;
    let manager = from_env(&[
        ("AUTH_JWKS_URL", idp.jwks_url()),
        ("AUTH_ISSUER", idp.issuer()),
        ("AUTH_AUDIENCE", "api".into()),
    ])
    .expect("manager");
    let server = serve(manager).await;
    assert_eq!(
        server.get("/health", &[]).await.json(),
        serde_json::json!({"keys_loaded": false})
    );

    let user = key.sign(
        &provider_claims(&idp.issuer(), "alice", "read write"),
        Some("JWT"),
    );
    let me = server.get_with_token("/me", &user).await;
    assert_eq!(me.status, 200, "{:?}", me.body);
    assert_eq!(me.json(), serde_json::json!({"sub": "alice"}));
    assert_eq!(
        server.get("/health", &[]).await.json(),
        serde_json::json!({"keys_loaded": true})
    );

    server
        .get_with_token("/admin", &user)
        .await
        .assert_insufficient_scope();
    let root = key.sign(
        &provider_claims(&idp.issuer(), "root", "read admin"),
        Some("at+jwt"),
    );
    let admin = server.get_with_token("/admin", &root).await;
    assert_eq!(admin.status, 200, "{:?}", admin.body);
    assert!(admin.json()["message"].is_string());

    // Unknown kid after a refresh: 401 (the first sight of it may fetch once).
    let unknown = key.sign_as(
        "k9",
        &provider_claims(&idp.issuer(), "alice", "read"),
        Some("JWT"),
    );
    server
        .get_with_token("/me", &unknown)
        .await
        .assert_invalid_token();
    server
        .get("/me", &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");
}

#[tokio::test]
async fn an_oidc_issuer_that_is_down_answers_503_and_health_says_so() {
    let key = IdpKey::new("k1", Algorithm::ES256);
    let idp = Idp::start(&[&key]).await;
    idp.reply(Reply::Status(502));
    let manager = from_env(&[("AUTH_OIDC_ISSUER", idp.issuer())]).expect("no fetch at start-up");
    let server = serve(manager).await;
    let mut claims = provider_claims(&idp.issuer(), "alice", "read");
    claims.as_object_mut().unwrap().remove("aud");
    let response = server
        .get_with_token("/me", &key.sign(&claims, Some("JWT")))
        .await;
    assert_eq!(response.status, 503, "{:?}", response.body);
    assert_eq!(response.error_code(), "temporarily_unavailable");
    assert!(response.header("retry-after").is_some());
    assert_eq!(
        server.get("/health", &[]).await.json(),
        serde_json::json!({"keys_loaded": false})
    );
}

#[test]
fn configuration_mistakes_name_their_variable() {
    let setting =
        |vars: &[(&str, String)]| from_env(vars).expect_err("an error").setting().to_owned();
    assert_eq!(setting(&[]), "AUTH_JWKS_URL or AUTH_OIDC_ISSUER");
    assert_eq!(
        setting(&[("AUTH_JWKS_URL", "https://idp.test/jwks".into())]),
        "AUTH_ISSUER"
    );
    assert_eq!(
        setting(&[
            ("AUTH_JWKS_URL", "http://idp.test/jwks".into()),
            ("AUTH_ISSUER", "x".into())
        ]),
        "AUTH_JWKS_URL"
    );
    assert_eq!(
        setting(&[
            ("AUTH_OIDC_ISSUER", "https://idp.test".into()),
            ("AUTH_ISSUER", "https://other.test".into()),
        ]),
        "AUTH_ISSUER"
    );
    assert_eq!(
        setting(&[
            ("AUTH_OIDC_ISSUER", "https://idp.test".into()),
            ("AUTH_JWKS_URL", "https://idp.test/jwks".into()),
        ]),
        "AUTH_JWKS_URL"
    );
}
