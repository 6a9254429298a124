//! The `stateless` example (flask-stateless-auth's quick start) over HTTP: every row of its
//! table, against the in-memory store and a real Redis; opaque tokens refused when they
//! are a prefix, a suffix or a case variant of a real one, or a JWT; junk never a 500;
//! Redis down is 503 and the service recovers by itself.

mod common;

use auth_examples::ports::stateless;
use auth_runtime::AuthManager;
use common::*;
use serde_json::Value;

fn bearer(token: &str) -> String {
    format!("Authorization: Bearer {token}")
}

async fn serve_with(redis: Option<&RedisServer>) -> (TestServer, AuthManager) {
    let url = redis.map(RedisServer::url);
    let manager = stateless::manager_from_env(|name| match name {
        "AUTH_REDIS_URL" => url.clone(),
        _ => None,
    })
    .expect("manager");
    stateless::load_fixture(&manager).await.expect("fixture");
    let server = TestServer::start_plain(stateless::app(manager.clone())).await;
    (server, manager)
}

async fn the_quick_start_answers_its_table(s: &TestServer) {
    let secret = s
        .get("/secret", &[&bearer("first_user_access_token")])
        .await;
    assert_eq!(secret.status, 200, "{}", secret.body);
    assert_eq!(secret.json()["secret"], "Stateless auth is awesome :O");
    for (token, name) in [
        ("first_user_access_token", "first_user"),
        ("second_user_access_token", "second_user"),
    ] {
        let me = s.get("/whoami", &[&bearer(token)]).await;
        assert_eq!(me.status, 200, "{}", me.body);
        assert_eq!(me.json()["my_username"], name);
    }
    // A refresh token on an access route, an unknown token, no token: 401.
    s.get("/secret", &[&bearer("first_user_refresh_token")])
        .await
        .assert_invalid_token();
    s.get("/secret", &[&bearer("nobody_access_token")])
        .await
        .assert_invalid_token();
    assert_eq!(s.get("/secret", &[]).await.status, 401);
    // An access token on the refresh route: 401.
    let wrong = s
        .post("/token/refresh", &[&bearer("first_user_access_token")], "")
        .await;
    assert_eq!(wrong.status, 401, "{}", wrong.body);
}

async fn a_refresh_hands_out_a_new_pair_and_retires_the_old(s: &TestServer) {
    let res = s
        .post("/token/refresh", &[&bearer("first_user_refresh_token")], "")
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let body: Value = res.json();
    let access = body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned();
    let refresh = body["refresh_token"]
        .as_str()
        .expect("refresh_token")
        .to_owned();
    assert_eq!(access.len(), 43, "256 random bits, base64url");
    assert_ne!(access, refresh);
    let me = s.get("/whoami", &[&bearer(&access)]).await;
    assert_eq!(me.json()["my_username"], "first_user");
    // The old pair is refused from now on.
    s.get("/secret", &[&bearer("first_user_access_token")])
        .await
        .assert_invalid_token();
    let again = s
        .post("/token/refresh", &[&bearer("first_user_refresh_token")], "")
        .await;
    assert_eq!(again.status, 401, "{}", again.body);
    // Spending the old refresh token again was a reuse: the whole login is revoked.
    s.get("/secret", &[&bearer(&access)])
        .await
        .assert_invalid_token();
    let next = s.post("/token/refresh", &[&bearer(&refresh)], "").await;
    assert_eq!(next.status, 401, "{}", next.body);
    // The other user's login is untouched.
    let other = s
        .get("/secret", &[&bearer("second_user_access_token")])
        .await;
    assert_eq!(other.status, 200);
}

async fn a_logout_refuses_the_token_afterwards(s: &TestServer) {
    let out = s
        .post("/logout", &[&bearer("second_user_access_token")], "")
        .await;
    assert_eq!(out.status, 204, "{}", out.body);
    s.get("/secret", &[&bearer("second_user_access_token")])
        .await
        .assert_invalid_token();
    let refresh = s
        .post(
            "/token/refresh",
            &[&bearer("second_user_refresh_token")],
            "",
        )
        .await;
    assert_eq!(refresh.status, 401, "the login's refresh token goes too");
}

async fn look_alikes_jwts_and_junk_are_refused(s: &TestServer, manager: &AuthManager) {
    let real = "first_user_access_token";
    for variant in [
        &real[..real.len() - 1],
        &real[1..],
        "FIRST_USER_ACCESS_TOKEN",
        "First_user_access_token",
        &format!("{real}x"),
        &format!("x{real}"),
    ] {
        let res = s.get("/secret", &[&bearer(variant)]).await;
        assert_eq!(res.status, 401, "{variant:?} {}", res.body);
    }
    // A valid JWT of this very manager is not an opaque token.
    let jwt = manager.auth_token("1").sign().expect("jwt");
    s.get("/secret", &[&bearer(&jwt)])
        .await
        .assert_invalid_token();
    // Junk: never a 500.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for i in 0..300 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let len = (seed % 700) as usize;
        let junk: String = (0..len)
            .map(|j| {
                let c = ((seed >> (j % 56)) as u8).wrapping_add(j as u8) % 94 + 33;
                c as char
            })
            .collect();
        let res = s.get("/whoami", &[&bearer(&junk)]).await;
        assert!(
            matches!(res.status, 400 | 401),
            "junk #{i} ({len} bytes) answered {}",
            res.status
        );
    }
}

/// Every row of the table, in an order where each step leaves the next its tokens.
async fn every_row(redis: Option<&RedisServer>) {
    let (s, manager) = serve_with(redis).await;
    the_quick_start_answers_its_table(&s).await;
    look_alikes_jwts_and_junk_are_refused(&s, &manager).await;
    a_refresh_hands_out_a_new_pair_and_retires_the_old(&s).await;
    a_logout_refuses_the_token_afterwards(&s).await;
}

#[tokio::test]
async fn memory_store_every_row() {
    every_row(None).await;
}

#[tokio::test]
async fn redis_store_every_row() {
    if let Some(redis) = RedisServer::start() {
        every_row(Some(&redis)).await;
    }
}

#[tokio::test]
async fn tokens_issued_random_work_and_two_instances_share_them_through_redis() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let (a, manager_a) = serve_with(Some(&redis)).await;
    let (b, _) = serve_with(Some(&redis)).await;
    let pair = manager_a
        .login_opaque(manager_a.auth_token("2"))
        .await
        .expect("login");
    let me = b.get("/whoami", &[&bearer(&pair.auth_token)]).await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.json()["my_username"], "second_user");
    let out = a.post("/logout", &[&bearer(&pair.auth_token)], "").await;
    assert_eq!(out.status, 204);
    let after = b.get("/whoami", &[&bearer(&pair.auth_token)]).await;
    assert_eq!(
        after.status, 401,
        "a logout on one instance holds on the other"
    );
}

#[tokio::test]
async fn redis_down_is_503_and_the_service_recovers_by_itself() {
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let (s, _) = serve_with(Some(&redis)).await;
    assert_eq!(
        s.get("/secret", &[&bearer("first_user_access_token")])
            .await
            .status,
        200
    );
    redis.kill();
    let down = s
        .get("/secret", &[&bearer("first_user_access_token")])
        .await;
    assert_eq!(down.status, 503, "{}", down.body);
    assert!(down.header("retry-after").is_some());
    redis.restart();
    // The restarted server has no data (no persistence in tests): the token is unknown
    // now, which proves the store answered again rather than the error being cached.
    let mut status = 0;
    for _ in 0..50 {
        status = s
            .get("/secret", &[&bearer("first_user_access_token")])
            .await
            .status;
        if status != 503 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, 401, "the service answers again by itself");
}
