//! Publishing: `/.well-known/jwks.json` serves the public keys with their `kid`s, never an
//! HMAC secret, with caching headers; a sibling service trusting it verifies our tokens.

mod common;

use auth_runtime::{
    Algorithm, AuthManager, CurrentToken, Key,
    jwks::{self, Provider, TokenKindRule},
    require_token,
    testing::TestToken,
};
use axum::{Router, routing::get};
use common::*;
use serde_json::Value;

#[require_token]
async fn me(token: CurrentToken) -> String {
    token.sub().to_owned()
}

fn publisher(issuer: &str) -> AuthManager {
    AuthManager::builder()
        .issuer(issuer)
        .signing_key(signing_key(Algorithm::ES256).with_kid("es-2026"))
        .verification_key(
            Key::verifying_pem(Algorithm::RS256, pem("rsa-public.pem"))
                .unwrap()
                .with_kid("rs-old"),
        )
        .verification_key(
            Key::verifying_pem(Algorithm::EdDSA, pem("ed25519-public.pem"))
                .unwrap()
                .with_kid("ed"),
        )
        .verification_key(signing_key(Algorithm::PS256).with_kid("ps"))
        .build()
        .expect("publisher")
}

#[tokio::test]
async fn the_key_set_lists_every_public_key_with_its_kid() {
    let manager = publisher("https://auth.test");
    let server = TestServer::start(jwks::routes(&manager), manager.clone()).await;
    let response = server.get(jwks::JWKS_PATH, &[]).await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("application/jwk-set+json")
    );
    assert_eq!(
        response.header("cache-control"),
        Some("public, max-age=300")
    );
    let body = response.json();
    let keys = body["keys"].as_array().expect("keys");
    let summary: Vec<(String, String, String)> = keys
        .iter()
        .map(|k| {
            let s = |n: &str| k[n].as_str().unwrap_or_default().to_owned();
            (s("kid"), s("alg"), s("kty"))
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("es-2026".into(), "ES256".into(), "EC".into()),
            ("rs-old".into(), "RS256".into(), "RSA".into()),
            ("ed".into(), "EdDSA".into(), "OKP".into()),
            ("ps".into(), "PS256".into(), "RSA".into()),
        ]
    );
    for key in keys {
        assert_eq!(key["use"], "sig");
        for private in ["d", "p", "q", "k"] {
            assert!(key.get(private).is_none(), "{private} published: {key}");
        }
    }
    assert_eq!(body, manager.public_jwks());
    // Conditional GET.
    let etag = response.header("etag").expect("ETag").to_owned();
    let again = server
        .get(jwks::JWKS_PATH, &[&format!("If-None-Match: {etag}")])
        .await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
}

#[tokio::test]
async fn an_hmac_secret_is_never_published() {
    let secret = hmac_secret(Algorithm::HS256);
    let manager = AuthManager::builder()
        .issuer("svc")
        .signing_key(Key::hmac(Algorithm::HS256, &secret).unwrap().with_kid("hs"))
        .verification_key(signing_key(Algorithm::ES256).with_kid("es"))
        .build()
        .unwrap();
    let server = TestServer::start(jwks::routes(&manager), manager.clone()).await;
    let response = server.get(jwks::JWKS_PATH, &[]).await;
    let body: Value = response.json();
    let kids: Vec<&str> = body["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k["kid"].as_str())
        .collect();
    assert_eq!(kids, ["es"], "only the asymmetric key");
    use base64::Engine;
    for encoding in [
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&secret),
        base64::engine::general_purpose::STANDARD.encode(&secret),
        String::from_utf8(secret.clone()).unwrap(),
    ] {
        assert!(!response.body.contains(&encoding), "the secret leaked");
    }
    assert!(!response.body.contains("\"oct\"") && !response.body.contains("\"k\""));
}

#[tokio::test]
async fn a_sibling_service_verifies_our_tokens_through_the_published_set() {
    // The publisher serves its key set on a port of its own; its issuer is that URL.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let ours = publisher(&base);
    let served: Router = jwks::routes(&ours);
    tokio::spawn(async move { axum::serve(listener, served).await.unwrap() });

    let sibling = AuthManager::builder()
        .provider(
            Provider::jwks(&base, format!("{base}{}", jwks::JWKS_PATH))
                .token_kind(TokenKindRule::TypeClaim),
        )
        .build()
        .unwrap();
    let server = TestServer::start(Router::new().route("/me", get(me)), sibling).await;
    let token = auth_token(&ours, "alice");
    let response = server.get_with_token("/me", &token).await;
    assert_eq!(response.status, 200, "{:?}", response.body);
    assert_eq!(response.body, "alice");
    let refresh = TestToken::new(&ours, "alice").refresh().sign();
    server
        .get_with_token("/me", &refresh)
        .await
        .assert_invalid_token();
}
