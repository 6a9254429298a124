//! The `nsj` example (nsj-flask-auth's quick start, its API keys and remote validation)
//! over HTTP: every row of its table, with its introspection endpoint a real RFC 7662
//! server on 127.0.0.1 that counts its calls; API keys against the in-memory store and a
//! real Redis; several algorithms for one secret; junk credentials never a 500.

mod common;

use auth_examples::ports::nsj;
use auth_runtime::{Algorithm, AuthManager, Key};
use common::*;
use serde_json::json;

const SECRET: &str = "an-nsj-secret-long-enough-for-hs512-which-needs-sixty-four-bytes-of-it";

fn lookup<'a>(extra: &'a [(&'a str, String)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        extra
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .or_else(|| (name == nsj::JWT_SECRET).then(|| SECRET.to_owned()))
    }
}

async fn serve(extra: &[(&str, String)]) -> (TestServer, AuthManager) {
    let manager = nsj::manager_from_env(lookup(extra)).expect("manager");
    let server = TestServer::start_plain(nsj::app(manager.clone())).await;
    (server, manager)
}

fn with_introspection(server: &AuthServer) -> Vec<(&'static str, String)> {
    vec![
        (nsj::INTROSPECTION_URL, server.url()),
        (nsj::INTROSPECTION_CLIENT_ID, CLIENT_ID.to_owned()),
        (nsj::INTROSPECTION_CLIENT_SECRET, CLIENT_SECRET.to_owned()),
    ]
}

fn bearer(token: &str) -> String {
    format!("Authorization: Bearer {token}")
}

fn api_key(key: &str) -> String {
    format!("X-API-Key: {key}")
}

async fn dev_key(manager: &AuthManager) -> auth_runtime::credential::ApiKey {
    manager
        .issue_api_key(manager.auth_token("report-bot"), nsj::DEV_KEY_LIFETIME)
        .await
        .expect("api key")
}

#[tokio::test]
async fn the_public_and_jwt_routes_answer_their_rows() {
    let (s, manager) = serve(&[]).await;
    let index = s.get("/", &[]).await;
    assert_eq!(index.status, 200);
    assert_eq!(index.body, "Welcome! This route is public.");
    let jwt = manager
        .auth_token("alice")
        .claim("tenant", 47)
        .sign()
        .expect("jwt");
    let res = s.get("/protected", &[&bearer(&jwt)]).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let body = res.json();
    assert_eq!(body["message"], "This is a protected route!");
    assert_eq!(body["user"]["sub"], "alice");
    assert_eq!(body["user"]["tenant"], 47);
    assert_eq!(s.get("/protected", &[]).await.status, 401);
    // An API key is not a JWT: the protected route takes JWTs only.
    let key = dev_key(&manager).await;
    assert_eq!(
        s.get("/protected", &[&api_key(key.key())]).await.status,
        401
    );
}

#[tokio::test]
async fn the_token_header_is_configurable() {
    let (s, manager) = serve(&[(nsj::TOKEN_HEADER, "X-Nsj-Token".to_owned())]).await;
    let jwt = manager.auth_token("alice").sign().expect("jwt");
    let res = s
        .get("/protected", &[&format!("X-Nsj-Token: Bearer {jwt}")])
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(s.get("/protected", &[&bearer(&jwt)]).await.status, 401);
}

#[tokio::test]
async fn one_secret_several_algorithms_without_kid() {
    let (s, _) = serve(&[(nsj::ALGORITHMS, "HS256,HS512".to_owned())]).await;
    // Tokens of another service signing with the same secret, either algorithm.
    for alg in [Algorithm::HS256, Algorithm::HS512] {
        let other = AuthManager::builder()
            .issuer("nsj")
            .signing_key(Key::hmac(alg, SECRET).expect("key"))
            .build()
            .expect("manager");
        let jwt = other.auth_token("alice").sign().expect("jwt");
        let res = s.get("/protected", &[&bearer(&jwt)]).await;
        assert_eq!(res.status, 200, "{alg:?}: {}", res.body);
    }
    // An algorithm not configured is refused, even with the same secret.
    let other = AuthManager::builder()
        .issuer("nsj")
        .signing_key(Key::hmac(Algorithm::HS384, SECRET).expect("key"))
        .build()
        .expect("manager");
    let jwt = other.auth_token("alice").sign().expect("jwt");
    s.get("/protected", &[&bearer(&jwt)])
        .await
        .assert_invalid_token();
    assert!(
        nsj::manager_from_env(lookup(&[(nsj::ALGORITHMS, "HS256,RS256".to_owned())]))
            .unwrap_err()
            .contains(nsj::ALGORITHMS)
    );
}

async fn api_keys_answer_their_rows(s: &TestServer, manager: &AuthManager) {
    let key = dev_key(manager).await;
    let res = s.get("/api/report", &[&api_key(key.key())]).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.json(), json!({"key_id": key.id()}));
    // Missing, malformed, forged (right id, wrong secret), a JWT: 401.
    assert_eq!(s.get("/api/report", &[]).await.status, 401);
    let text = key.key();
    let forged = format!("{}{}", &text[..text.len() - 4], "AAAA");
    let jwt = manager.auth_token("alice").sign().expect("jwt");
    for bad in [&text[..text.len() - 1], &forged, &text.to_uppercase(), &jwt] {
        s.get("/api/report", &[&api_key(bad)])
            .await
            .assert_invalid_token();
    }
    // Revoked: 401 from then on.
    assert!(manager.revoke_api_key(key.id()).await.expect("revoke"));
    s.get("/api/report", &[&api_key(text)])
        .await
        .assert_invalid_token();
}

async fn either_takes_one_credential(s: &TestServer, manager: &AuthManager) {
    let key = dev_key(manager).await;
    let jwt = manager.auth_token("alice").sign().expect("jwt");
    let by_key = s.get("/either", &[&api_key(key.key())]).await;
    assert_eq!(by_key.json(), json!({"via": "api_key"}));
    let by_jwt = s.get("/either", &[&bearer(&jwt)]).await;
    assert_eq!(by_jwt.json(), json!({"via": "jwt"}));
    s.get("/either", &[&api_key(key.key()), &bearer(&jwt)])
        .await
        .assert_invalid_request();
    assert_eq!(s.get("/either", &[]).await.status, 401);
    // Two API key headers are two credentials too.
    s.get("/either", &[&api_key(key.key()), &api_key(key.key())])
        .await
        .assert_invalid_request();
}

#[tokio::test]
async fn api_keys_and_either_in_memory() {
    let (s, manager) = serve(&[]).await;
    api_keys_answer_their_rows(&s, &manager).await;
    either_takes_one_credential(&s, &manager).await;
}

#[tokio::test]
async fn api_keys_and_either_in_redis_shared_by_two_instances() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let env = [("AUTH_REDIS_URL", redis.url())];
    let (s, manager) = serve(&env).await;
    api_keys_answer_their_rows(&s, &manager).await;
    either_takes_one_credential(&s, &manager).await;
    // A key issued by one instance works on another, and its revocation holds there.
    let (other, other_manager) = serve(&env).await;
    let key = dev_key(&manager).await;
    assert_eq!(
        other
            .get("/api/report", &[&api_key(key.key())])
            .await
            .status,
        200
    );
    other_manager
        .revoke_api_key(key.id())
        .await
        .expect("revoke");
    assert_eq!(
        s.get("/api/report", &[&api_key(key.key())]).await.status,
        401
    );
}

#[tokio::test]
async fn the_introspected_route_asks_the_endpoint_once_and_fails_closed() {
    let auth_server = AuthServer::start().await;
    let (s, manager) = serve(&with_introspection(&auth_server)).await;
    auth_server.answer("opaque-active", active("carol"));
    let res = s.get("/introspected", &[&bearer("opaque-active")]).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.json(), json!({"sub": "carol"}));
    // Cached: a second request makes no new call.
    assert_eq!(
        s.get("/introspected", &[&bearer("opaque-active")])
            .await
            .status,
        200
    );
    assert_eq!(auth_server.calls("opaque-active"), 1);
    // Inactive: 401.
    auth_server.answer("opaque-gone", Answer::Json(json!({"active": false})));
    s.get("/introspected", &[&bearer("opaque-gone")])
        .await
        .assert_invalid_token();
    // The endpoint failing: 503, never 401 or 500.
    auth_server.answer("opaque-broken", Answer::Status(500));
    let res = s.get("/introspected", &[&bearer("opaque-broken")]).await;
    assert_eq!(res.status, 503, "{}", res.body);
    // A JWT is not an opaque token: refused without a call.
    let jwt = manager.auth_token("alice").sign().expect("jwt");
    s.get("/introspected", &[&bearer(&jwt)])
        .await
        .assert_invalid_token();
    assert_eq!(auth_server.calls(&jwt), 0);
}

#[tokio::test]
async fn the_endpoint_down_is_503_and_refusing_our_credentials_too() {
    let auth_server = AuthServer::start().await;
    let mut env = with_introspection(&auth_server);
    // Wrong client secret: the endpoint answers 401, the client 503.
    env[2].1 = "not-the-secret".to_owned();
    let (s, _) = serve(&env).await;
    auth_server.answer("opaque-active", active("carol"));
    let res = s.get("/introspected", &[&bearer("opaque-active")]).await;
    assert_eq!(res.status, 503, "{}", res.body);
    // Nothing listening: 503.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    let url = format!("http://{}/introspect", closed.local_addr().expect("addr"));
    drop(closed);
    let (down, _) = serve(&[(nsj::INTROSPECTION_URL, url)]).await;
    let res = down.get("/introspected", &[&bearer("opaque-active")]).await;
    assert_eq!(res.status, 503, "{}", res.body);
}

#[tokio::test]
async fn junk_credentials_never_answer_500() {
    let auth_server = AuthServer::start().await;
    let (s, _) = serve(&with_introspection(&auth_server)).await;
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for i in 0..300 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let len = (seed % 200) as usize + 1;
        let junk: String = (0..len)
            .map(|j| (((seed >> (j % 56)) as u8).wrapping_add(j as u8) % 94 + 33) as char)
            .collect();
        let (path, header) = match i % 3 {
            0 => ("/api/report", api_key(&junk)),
            1 => ("/either", api_key(&junk)),
            _ => ("/introspected", bearer(&junk)),
        };
        let res = s.get(path, &[&header]).await;
        assert!(
            matches!(res.status, 400 | 401),
            "junk #{i} on {path} answered {}: {}",
            res.status,
            res.body
        );
    }
}
