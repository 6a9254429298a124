//! Keys from identity providers over HTTP: providers run on 127.0.0.1 and publish their
//! JWKS (and OIDC discovery); the service fetches, refreshes and keeps their keys.
//! Rotation, a provider down at start and later, malformed and oversized documents,
//! keys that do not fit, several issuers with colliding `kid`s, the kind rules, and the
//! configuration errors `build()` reports.

mod common;

use std::time::Duration;

use auth_runtime::{
    Algorithm, AuthManager, ConfigError, CurrentToken,
    jwks::{Provider, TokenKindRule},
    require_token,
    testing::TestToken,
};
use axum::{Router, routing::get};
use common::*;
use serde_json::json;

/// A cooldown short enough for tests to wait it out.
const COOLDOWN: Duration = Duration::from_millis(300);

#[require_token]
async fn me(token: CurrentToken) -> String {
    token.sub().to_owned()
}

#[require_token(kind = "refresh")]
async fn renew(token: CurrentToken) -> String {
    token.sub().to_owned()
}

#[require_token(scope("admin"))]
async fn admin(token: CurrentToken) -> String {
    token.sub().to_owned()
}

fn app() -> Router {
    Router::new()
        .route("/me", get(me))
        .route("/refresh", get(renew))
        .route("/admin", get(admin))
}

fn provider(idp: &Idp) -> Provider {
    Provider::jwks(idp.issuer(), idp.jwks_url())
        .audience("api")
        .refresh_cooldown(COOLDOWN)
}

async fn serve(provider: Provider) -> (TestServer, AuthManager) {
    let manager = AuthManager::builder()
        .provider(provider)
        .build()
        .expect("manager");
    (TestServer::start(app(), manager.clone()).await, manager)
}

fn token(idp: &Idp, key: &IdpKey, sub: &str) -> String {
    key.sign(&provider_claims(&idp.issuer(), sub, "read"), Some("JWT"))
}

#[track_caller]
fn assert_unavailable(response: &Response) {
    assert_eq!(response.status, 503, "{:?}", response.body);
    assert_eq!(response.error_code(), "temporarily_unavailable");
    assert_eq!(response.header("retry-after"), Some("1"));
}

#[tokio::test]
async fn nothing_is_fetched_at_build_and_the_first_request_loads_the_keys() {
    let k1 = IdpKey::new("k1", Algorithm::ES256);
    let idp = Idp::start(&[&k1]).await;
    let (server, manager) = serve(provider(&idp)).await;
    assert_eq!(idp.jwks_fetches(), 0, "build() fetches nothing");
    assert!(!manager.keys_loaded());
    let response = server
        .get_with_token("/me", &token(&idp, &k1, "alice"))
        .await;
    assert_eq!(response.status, 200, "{:?}", response.body);
    assert_eq!(response.body, "alice");
    assert!(manager.keys_loaded());
    // Further requests read the keys in hand.
    for _ in 0..5 {
        let again = server.get_with_token("/me", &token(&idp, &k1, "bob")).await;
        assert_eq!(again.status, 200);
    }
    assert_eq!(idp.jwks_fetches(), 1);
}

#[tokio::test]
async fn a_rotated_key_is_picked_up_on_first_sight_once_the_cooldown_allows() {
    let k1 = IdpKey::new("k1", Algorithm::ES256);
    let k2 = IdpKey::new("k2", Algorithm::RS256);
    let idp = Idp::start(&[&k1]).await;
    let (server, _) = serve(provider(&idp)).await;
    assert_eq!(
        server
            .get_with_token("/me", &token(&idp, &k1, "a"))
            .await
            .status,
        200
    );
    assert_eq!(idp.jwks_fetches(), 1);

    // The provider rotates: k2 signs, k1 is still published.
    idp.publish(&[&k1, &k2]);
    pause(COOLDOWN).await;
    let response = server.get_with_token("/me", &token(&idp, &k2, "b")).await;
    assert_eq!(
        response.status, 200,
        "new kid on first sight: {:?}",
        response.body
    );
    assert_eq!(idp.jwks_fetches(), 2, "exactly one fetch for the new kid");
    assert_eq!(
        server
            .get_with_token("/me", &token(&idp, &k1, "a"))
            .await
            .status,
        200
    );
    assert_eq!(idp.jwks_fetches(), 2);
}

#[tokio::test]
async fn a_new_kid_within_the_cooldown_is_refused_without_a_fetch() {
    let k1 = IdpKey::new("k1", Algorithm::ES256);
    let k2 = IdpKey::new("k2", Algorithm::ES256);
    let idp = Idp::start(&[&k1]).await;
    let (server, _) = serve(provider(&idp).refresh_cooldown(Duration::from_secs(30))).await;
    assert_eq!(
        server
            .get_with_token("/me", &token(&idp, &k1, "a"))
            .await
            .status,
        200
    );
    idp.publish(&[&k1, &k2]);
    let response = server.get_with_token("/me", &token(&idp, &k2, "b")).await;
    response.assert_invalid_token();
    assert_eq!(idp.jwks_fetches(), 1, "the cooldown holds");
}

#[tokio::test]
async fn made_up_kids_cost_at_most_one_fetch_per_cooldown_and_are_401() {
    let k1 = IdpKey::new("k1", Algorithm::ES256);
    let idp = Idp::start(&[&k1]).await;
    let (server, _) = serve(provider(&idp).refresh_cooldown(Duration::from_secs(30))).await;
    assert_eq!(
        server
            .get_with_token("/me", &token(&idp, &k1, "a"))
            .await
            .status,
        200
    );
    let claims = provider_claims(&idp.issuer(), "mallory", "read");
    let forged = (0..40)
        .map(|i| k1.sign_as(&format!("made-up-{i}"), &claims, Some("JWT")))
        .collect();
    for response in concurrently(&server, forged).await {
        response.assert_invalid_token();
    }
    assert_eq!(idp.jwks_fetches(), 1, "no fetch within the cooldown");
}

#[tokio::test]
async fn concurrent_first_requests_share_one_fetch() {
    let k1 = IdpKey::new("k1", Algorithm::ES256);
    let idp = Idp::start(&[&k1]).await;
    let (server, _) = serve(provider(&idp)).await;
    let tokens = (0..20)
        .map(|i| token(&idp, &k1, &format!("user{i}")))
        .collect();
    for response in concurrently(&server, tokens).await {
        assert_eq!(response.status, 200, "{:?}", response.body);
    }
    assert_eq!(idp.jwks_fetches(), 1, "single-flight");
}

#[tokio::test]
async fn a_provider_down_at_start_answers_503_then_its_keys_load_when_it_is_back() {
    let k1 = IdpKey::new("k1", Algorithm::ES256);
    let idp = Idp::start(&[&k1]).await;
    idp.reply(Reply::Status(503));
    let (server, manager) = serve(provider(&idp)).await;
    assert!(
        !manager.load_provider_keys().await,
        "start-up warm-up fails, harmlessly"
    );
    assert_unavailable(&server.get_with_token("/me", &token(&idp, &k1, "a")).await);
    assert!(!manager.keys_loaded());

    idp.publish(&[&k1]);
    pause(COOLDOWN).await;
    let response = server.get_with_token("/me", &token(&idp, &k1, "a")).await;
    assert_eq!(response.status, 200, "{:?}", response.body);
    assert!(manager.keys_loaded());
}

#[tokio::test]
async fn an_unreachable_provider_at_start_is_503_not_500() {
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/jwks.json", closed.local_addr().unwrap());
    drop(closed);
    let k1 = IdpKey::new("k1", Algorithm::ES256);
    let (server, _) = serve(
        Provider::jwks("https://idp.test", url)
            .audience("api")
            .timeout(Duration::from_secs(1)),
    )
    .await;
    let forged = k1.sign(
        &provider_claims("https://idp.test", "a", "read"),
        Some("JWT"),
    );
    assert_unavailable(&server.get_with_token("/me", &forged).await);
}

#[tokio::test]
async fn a_provider_down_later_keeps_the_last_keys_verifying() {
    let k1 = IdpKey::new("k1", Algorithm::EdDSA);
    let idp = Idp::start(&[&k1]).await;
    let (server, manager) = serve(provider(&idp).max_age(COOLDOWN)).await;
    assert_eq!(
        server
            .get_with_token("/me", &token(&idp, &k1, "a"))
            .await
            .status,
        200
    );

    idp.reply(Reply::Status(500));
    for round in 0..3 {
        // The keys grow stale: background refreshes fail, the old keys stay. Each round
        // sends a token never seen before, so the verified-token cache cannot answer it
        // without a key lookup.
        pause(COOLDOWN).await;
        let subject = format!("a{round}");
        let response = server
            .get_with_token("/me", &token(&idp, &k1, &subject))
            .await;
        assert_eq!(response.status, 200, "{:?}", response.body);
    }
    // The refreshes run in a background task: give the last one a bounded moment.
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    while idp.jwks_fetches() < 2 && std::time::Instant::now() < deadline {
        pause(Duration::from_millis(20)).await;
    }
    assert!(
        idp.jwks_fetches() >= 2,
        "the stale keys were refreshed in the background"
    );
    assert!(manager.keys_loaded());
    let unknown = k1.sign_as(
        "k9",
        &provider_claims(&idp.issuer(), "a", "read"),
        Some("JWT"),
    );
    server
        .get_with_token("/me", &unknown)
        .await
        .assert_invalid_token();
}

#[tokio::test]
async fn malformed_and_oversized_documents_load_nothing() {
    let k1 = IdpKey::new("k1", Algorithm::ES256);
    let big = json!({"keys": [k1.jwk()], "padding": "x".repeat(4096)}).to_string();
    for (what, body) in [
        ("not JSON", b"<html>oops</html>".to_vec()),
        ("truncated", br#"{"keys": [{"kty":"EC""#.to_vec()),
        ("no keys array", br#"{"keys": {"kty": "EC"}}"#.to_vec()),
        ("empty set", br#"{"keys": []}"#.to_vec()),
        ("oversized", big.into_bytes()),
    ] {
        let idp = Idp::start(&[]).await;
        idp.reply(Reply::Body(body));
        let (server, manager) = serve(provider(&idp).max_document_bytes(2048)).await;
        assert_unavailable(&server.get_with_token("/me", &token(&idp, &k1, "a")).await);
        assert!(!manager.keys_loaded(), "{what}");
        // A good document afterwards loads.
        idp.publish(&[&k1]);
        pause(COOLDOWN).await;
        let response = server.get_with_token("/me", &token(&idp, &k1, "a")).await;
        assert_eq!(response.status, 200, "{what}: {:?}", response.body);
    }
}

#[tokio::test]
async fn keys_that_do_not_fit_are_refused_and_the_rest_kept() {
    let good = IdpKey::new("good", Algorithm::ES256);
    let idp = Idp::start(&[]).await;
    let secret = hmac_secret(Algorithm::HS256);
    let mut mislabelled = IdpKey::new("mislabelled", Algorithm::ES256).jwk();
    mislabelled["alg"] = json!("RS256");
    let mut for_encryption = IdpKey::new("enc", Algorithm::RS256).jwk();
    for_encryption["use"] = json!("enc");
    idp.publish_raw_keys(vec![
        json!({"kty": "oct", "kid": "oct", "alg": "HS256",
               "k": base64_url(&secret)}),
        mislabelled,
        for_encryption,
        good.jwk(),
    ]);
    let (server, _) = serve(provider(&idp)).await;
    assert_eq!(
        server
            .get_with_token("/me", &token(&idp, &good, "a"))
            .await
            .status,
        200
    );
    // A token signed with the published shared secret: the `oct` key was refused.
    let mut header = jsonwebtoken::Header::new(Algorithm::HS256);
    header.kid = Some("oct".into());
    let hs = jsonwebtoken::encode(
        &header,
        &provider_claims(&idp.issuer(), "mallory", "admin"),
        &jsonwebtoken::EncodingKey::from_secret(&secret),
    )
    .unwrap();
    server
        .get_with_token("/me", &hs)
        .await
        .assert_invalid_token();
    let es_as = IdpKey::new("mislabelled", Algorithm::ES256);
    server
        .get_with_token("/me", &token(&idp, &es_as, "a"))
        .await
        .assert_invalid_token();
    let rs_enc = IdpKey::new("enc", Algorithm::RS256);
    server
        .get_with_token("/me", &token(&idp, &rs_enc, "a"))
        .await
        .assert_invalid_token();
}

#[tokio::test]
async fn two_issuers_with_colliding_kids_each_verify_their_own_tokens_only() {
    let a_key = IdpKey::new("k1", Algorithm::ES256);
    let b_key = IdpKey::new("k1", Algorithm::EdDSA);
    let a = Idp::start(&[&a_key]).await;
    let b = Idp::start(&[&b_key]).await;
    let manager = AuthManager::builder()
        .provider(provider(&a))
        .provider(provider(&b).audience("api"))
        .build()
        .expect("two issuers");
    let server = TestServer::start(app(), manager).await;
    assert_eq!(
        server
            .get_with_token("/me", &token(&a, &a_key, "from-a"))
            .await
            .body,
        "from-a"
    );
    assert_eq!(
        server
            .get_with_token("/me", &token(&b, &b_key, "from-b"))
            .await
            .body,
        "from-b"
    );
    // B's key under A's name: `iss` picks A's keys, which refuse B's signature.
    let crossed = b_key.sign(
        &provider_claims(&a.issuer(), "mallory", "read"),
        Some("JWT"),
    );
    server
        .get_with_token("/me", &crossed)
        .await
        .assert_invalid_token();
    // An issuer nobody trusts: no fetch anywhere.
    let (a_before, b_before) = (a.jwks_fetches(), b.jwks_fetches());
    let stranger = a_key.sign(
        &provider_claims("https://elsewhere.test", "m", "read"),
        Some("JWT"),
    );
    server
        .get_with_token("/me", &stranger)
        .await
        .assert_invalid_token();
    assert_eq!((a.jwks_fetches(), b.jwks_fetches()), (a_before, b_before));
}

#[tokio::test]
async fn each_issuer_has_its_own_audience() {
    let key = IdpKey::new("k1", Algorithm::ES256);
    let idp = Idp::start(&[&key]).await;
    let (server, _) = serve(provider(&idp).audience("orders")).await;
    // `provider_claims` names the audience `api`.
    server
        .get_with_token("/me", &token(&idp, &key, "a"))
        .await
        .assert_invalid_token();
    let mut claims = provider_claims(&idp.issuer(), "a", "read");
    claims["aud"] = json!(["orders", "other"]);
    assert_eq!(
        server
            .get_with_token("/me", &key.sign(&claims, None))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn oidc_discovery_finds_the_keys_and_must_name_the_issuer() {
    let key = IdpKey::new("k1", Algorithm::RS256);
    let idp = Idp::start(&[&key]).await;
    let (server, _) = serve(Provider::oidc(idp.issuer()).audience("api")).await;
    let response = server.get_with_token("/me", &token(&idp, &key, "a")).await;
    assert_eq!(response.status, 200, "{:?}", response.body);
    assert_eq!((idp.discovery_fetches(), idp.jwks_fetches()), (1, 1));

    let other = Idp::start(&[&key]).await;
    other.discovery_names("https://impostor.test");
    let (server, manager) = serve(Provider::oidc(other.issuer()).audience("api")).await;
    assert_unavailable(
        &server
            .get_with_token("/me", &token(&other, &key, "a"))
            .await,
    );
    assert!(!manager.keys_loaded());
    assert_eq!(
        other.jwks_fetches(),
        0,
        "a discovery naming another issuer is not followed"
    );
}

#[tokio::test]
async fn provider_tokens_follow_their_kind_rule_and_ours_keep_the_type_claim() {
    let key = IdpKey::new("k1", Algorithm::ES256);
    let idp = Idp::start(&[&key]).await;
    let own = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(signing_key(Algorithm::HS256))
        .provider(provider(&idp).token_kind(TokenKindRule::AccessTokenTyp))
        .build()
        .expect("own keys and a provider");
    let server = TestServer::start(app(), own.clone()).await;
    let claims = provider_claims(&idp.issuer(), "a", "read admin");
    // RFC 9068: `at+jwt` is an access token, an ID token (`JWT`) is not.
    assert_eq!(
        server
            .get_with_token("/me", &key.sign(&claims, Some("at+jwt")))
            .await
            .status,
        200
    );
    assert_eq!(
        server
            .get_with_token("/admin", &key.sign(&claims, Some("application/at+jwt")))
            .await
            .status,
        200
    );
    server
        .get_with_token("/me", &key.sign(&claims, Some("JWT")))
        .await
        .assert_invalid_token();
    // A provider's token is never a refresh token.
    server
        .get_with_token("/refresh", &key.sign(&claims, Some("at+jwt")))
        .await
        .assert_invalid_token();
    // Scope requirements apply unchanged.
    let reader = key.sign(&provider_claims(&idp.issuer(), "r", "read"), Some("at+jwt"));
    server
        .get_with_token("/admin", &reader)
        .await
        .assert_insufficient_scope();
    // Our own tokens still need their `type`.
    assert_eq!(
        server
            .get_with_token("/me", &auth_token(&own, "ours"))
            .await
            .body,
        "ours"
    );
    let refresh = TestToken::new(&own, "ours").refresh().sign();
    server
        .get_with_token("/me", &refresh)
        .await
        .assert_invalid_token();
    assert_eq!(
        server.get_with_token("/refresh", &refresh).await.status,
        200
    );
}

#[tokio::test]
async fn a_jku_header_is_never_followed() {
    let key = IdpKey::new("k1", Algorithm::ES256);
    let idp = Idp::start(&[&key]).await;
    let attacker_key = IdpKey::new("evil", Algorithm::ES256);
    let attacker = Idp::start(&[&attacker_key]).await;
    let (server, _) = serve(provider(&idp)).await;
    let mut header = jsonwebtoken::Header::new(Algorithm::ES256);
    header.kid = Some("evil".into());
    header.jku = Some(attacker.jwks_url());
    let forged = jsonwebtoken::encode(
        &header,
        &provider_claims(&idp.issuer(), "mallory", "admin"),
        &encoding_key(Algorithm::ES256),
    )
    .unwrap();
    server
        .get_with_token("/admin", &forged)
        .await
        .assert_invalid_token();
    assert_eq!(attacker.jwks_fetches(), 0);
}

#[test]
fn configuration_errors_are_reported_by_build() {
    let build = |p: Provider| AuthManager::builder().provider(p).build();
    let err = |r: Result<AuthManager, ConfigError>| r.expect_err("a configuration error");
    let ok = Provider::jwks("https://idp.test", "https://idp.test/jwks.json");
    assert!(build(ok.clone()).is_ok());
    assert_eq!(
        err(build(Provider::jwks(
            "https://idp.test",
            "http://idp.test/jwks.json"
        )))
        .setting(),
        "provider.jwks_url"
    );
    assert!(
        build(Provider::oidc("http://idp.test")).is_err(),
        "plain http to a remote host"
    );
    assert_eq!(
        err(build(ok.clone().algorithms([Algorithm::HS256]))).setting(),
        "provider.algorithms"
    );
    assert_eq!(
        err(build(ok.clone().audience(""))).setting(),
        "provider.audience"
    );
    assert_eq!(
        err(build(ok.clone().refresh_cooldown(Duration::ZERO))).setting(),
        "provider.refresh_cooldown"
    );
    let twice = AuthManager::builder()
        .provider(ok.clone())
        .provider(Provider::oidc("https://idp.test"))
        .build();
    assert!(err(twice).to_string().contains("trusted twice"));
    let ours_too = AuthManager::builder()
        .issuer("https://idp.test")
        .signing_key(signing_key(Algorithm::HS256))
        .provider(ok.clone())
        .build();
    assert!(err(ours_too).to_string().contains("trusted twice"));
    let issuer_without_keys = AuthManager::builder().issuer("svc").provider(ok).build();
    assert_eq!(err(issuer_without_keys).setting(), "issuer");
}

/// `GET /me` with each token, all at once.
async fn concurrently(server: &TestServer, tokens: Vec<String>) -> Vec<Response> {
    let addr = server.addr;
    let tasks: Vec<_> = tokens
        .into_iter()
        .map(|token| {
            tokio::spawn(async move { TestServer { addr }.get_with_token("/me", &token).await })
        })
        .collect();
    let mut responses = Vec::new();
    for task in tasks {
        responses.push(task.await.expect("request task"));
    }
    responses
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
