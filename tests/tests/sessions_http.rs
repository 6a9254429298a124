//! The `sessions` example over HTTP: login, refresh with rotation and reuse detection,
//! logout seen by a second instance sharing the store, and a store that goes down and
//! comes back. Every behaviour runs against the in-memory store (two servers sharing one)
//! and against a real `redis-server` (two servers, each with its own connection).

mod common;

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use auth_examples::ports::sessions;
use auth_runtime::{
    Algorithm, AuthManager, CurrentToken, Key, require_token,
    store::{MemoryStore, RedisStore, TokenStore},
    testing::TestToken,
};
use axum::{Router, routing::get};
use common::*;
use serde_json::json;

fn manager_with(store: impl TokenStore, grace: Duration) -> AuthManager {
    AuthManager::builder()
        .issuer("sessions")
        .signing_key(Key::hmac(Algorithm::HS256, hmac_secret(Algorithm::HS256)).unwrap())
        .store(store)
        .refresh_grace(grace)
        .build()
        .expect("manager")
}

#[require_token(optional)]
async fn home(token: Option<CurrentToken>) -> String {
    token.map_or("anonymous".to_owned(), |t| t.sub().to_owned())
}

/// The example's routes, plus an optional route to check that a store outage never
/// turns a token holder into an anonymous caller.
async fn serve(manager: AuthManager) -> TestServer {
    let app: Router = sessions::app(manager.clone()).merge(
        Router::new()
            .route("/optional", get(home))
            .layer(axum::Extension(manager)),
    );
    TestServer::start_plain(app).await
}

/// Two instances of the service sharing one store.
struct Pair {
    a: TestServer,
    b: TestServer,
    _redis: Option<RedisServer>,
}

async fn memory_pair(grace: Duration) -> Pair {
    let store = Arc::new(MemoryStore::new());
    Pair {
        a: serve(manager_with(store.clone(), grace)).await,
        b: serve(manager_with(store, grace)).await,
        _redis: None,
    }
}

async fn redis_pair(grace: Duration) -> Option<Pair> {
    let redis = RedisServer::start()?;
    let store = || RedisStore::new(&redis.url()).expect("redis store");
    Some(Pair {
        a: serve(manager_with(store(), grace)).await,
        b: serve(manager_with(store(), grace)).await,
        _redis: Some(redis),
    })
}

fn bearer(token: &str) -> String {
    format!("Authorization: Bearer {token}")
}

async fn login(s: &TestServer, user: &str) -> (String, String) {
    let res = s
        .post(
            "/login",
            &[],
            &json!({"username": user, "password": format!("{user}-password")}).to_string(),
        )
        .await;
    assert_eq!(res.status, 200, "login: {}", res.body);
    let body = res.json();
    (
        body["auth_token"].as_str().unwrap().to_owned(),
        body["refresh_token"].as_str().unwrap().to_owned(),
    )
}

async fn refresh(s: &TestServer, token: &str) -> common::Response {
    s.post("/refresh", &[&bearer(token)], "").await
}

/// Asserts that `GET path` with `token` is refused (401 `invalid_token`) within one second:
/// the bound on how long another instance may take to see a revocation.
async fn refused_within_a_second(s: &TestServer, path: &str, token: &str) {
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        let res = s.get_with_token(path, token).await;
        if res.status == 401 {
            res.assert_invalid_token();
            return;
        }
        assert_eq!(res.status, 200, "{}", res.body);
        assert!(Instant::now() < deadline, "{path} still accepted after 1 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn logins_answer_the_example_table(p: Pair) {
    let (auth, _) = login(&p.a, "alice").await;
    let me = p.b.get_with_token("/me", &auth).await;
    assert_eq!(
        (me.status, me.json()),
        (200, json!({"sub": "alice", "scope": {}}))
    );
    p.b.get_with_token("/admin", &auth)
        .await
        .assert_insufficient_scope();
    let (root, _) = login(&p.b, "root").await;
    let admin = p.a.get_with_token("/admin", &root).await;
    assert_eq!(
        (admin.status, admin.json()),
        (200, json!({"message": "Hello admin!"}))
    );
    let bad =
        p.a.post("/login", &[], r#"{"username":"alice","password":"nope"}"#)
            .await;
    assert_eq!(bad.status, 401);
    assert!(
        bad.header("www-authenticate").is_some(),
        "a failed login's 401 has a challenge"
    );
    assert_eq!(bad.error_code(), "invalid_credentials");
}

async fn a_logout_is_seen_by_every_instance(p: Pair) {
    let (auth, refresh_token) = login(&p.a, "alice").await;
    let (other_auth, _) = login(&p.a, "alice").await;
    assert_eq!(p.b.get_with_token("/me", &auth).await.status, 200);
    let out = p.a.post("/logout", &[&bearer(&auth)], "").await;
    assert_eq!((out.status, out.body.as_str()), (204, ""));
    // On the other instance, within a second: the auth token and the login's refresh
    // token.
    refused_within_a_second(&p.b, "/me", &auth).await;
    refresh(&p.b, &refresh_token).await.assert_invalid_token();
    p.b.post("/logout", &[&bearer(&auth)], "")
        .await
        .assert_invalid_token();
    // Only that login ended.
    assert_eq!(p.b.get_with_token("/me", &other_auth).await.status, 200);
}

async fn a_refresh_rotates_and_a_reuse_revokes_the_family(p: Pair) {
    let (auth, first) = login(&p.a, "alice").await;
    let res = refresh(&p.a, &first).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let body = res.json();
    let (new_auth, second) = (
        body["auth_token"].as_str().unwrap().to_owned(),
        body["refresh_token"].as_str().unwrap().to_owned(),
    );
    assert_ne!(second, first, "rotated");
    assert_eq!(p.b.get_with_token("/me", &new_auth).await.status, 200);
    // The spent token again, on the other instance, with no grace: the family dies.
    refresh(&p.b, &first).await.assert_invalid_token();
    refresh(&p.a, &second).await.assert_invalid_token();
    refused_within_a_second(&p.a, "/me", &auth).await;
    refused_within_a_second(&p.b, "/me", &new_auth).await;
    // The user can log in again.
    let (fresh, _) = login(&p.b, "alice").await;
    assert_eq!(p.a.get_with_token("/me", &fresh).await.status, 200);
}

async fn within_the_grace_window_a_spent_token_refreshes_again(p: Pair) {
    let (_, first) = login(&p.a, "alice").await;
    let one = refresh(&p.a, &first).await;
    let two = refresh(&p.b, &first).await;
    assert_eq!(
        (one.status, two.status),
        (200, 200),
        "{} / {}",
        one.body,
        two.body
    );
    // Both answers continue the one family: either successor still refreshes.
    let next = two.json()["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(refresh(&p.a, &next).await.status, 200);
}

async fn racing_refreshes_of_one_token_leave_one_winner(p: Pair) {
    let (_, token) = login(&p.a, "alice").await;
    let p = Arc::new(p);
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let (p, token) = (p.clone(), token.clone());
            tokio::spawn(async move {
                let s = if i % 2 == 0 { &p.a } else { &p.b };
                refresh(s, &token).await.status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [200, 401].contains(s)),
        "{statuses:?}"
    );
}

macro_rules! both_stores {
    ($($name:ident($grace:expr)),* $(,)?) => {
        mod memory {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(memory_pair($grace).await).await;
                }
            )*
        }
        mod redis {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(pair) = redis_pair($grace).await else { return };
                    super::$name(pair).await;
                }
            )*
        }
    };
}

both_stores!(
    logins_answer_the_example_table(Duration::ZERO),
    a_logout_is_seen_by_every_instance(Duration::ZERO),
    a_refresh_rotates_and_a_reuse_revokes_the_family(Duration::ZERO),
    within_the_grace_window_a_spent_token_refreshes_again(Duration::from_secs(30)),
    racing_refreshes_of_one_token_leave_one_winner(Duration::ZERO),
);

#[track_caller]
fn assert_unavailable(res: &common::Response) {
    assert_eq!(res.status, 503, "{}", res.body);
    assert_eq!(res.header("retry-after"), Some("1"));
    assert_eq!(res.error_code(), "temporarily_unavailable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_down_answers_503_and_the_service_recovers_by_itself() {
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let s = serve(manager_with(
        RedisStore::new(&redis.url()).unwrap(),
        Duration::ZERO,
    ))
    .await;
    let (auth, refresh_token) = login(&s, "alice").await;
    let (revoked, _) = login(&s, "root").await;
    assert_eq!(
        s.post("/logout", &[&bearer(&revoked)], "").await.status,
        204
    );

    redis.kill();
    let started = Instant::now();
    // The revocation replica stops answering as soon as it loses Redis (at most its
    // staleness bound); from then on every check asks Redis, which is gone.
    loop {
        let res = s.get_with_token("/me", &auth).await;
        if res.status == 503 {
            break;
        }
        assert_eq!(res.status, 200, "{}", res.body);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "503 within a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_unavailable(&s.get_with_token("/me", &auth).await);
    assert_unavailable(&s.get_with_token("/admin", &revoked).await);
    assert_unavailable(&s.get_with_token("/optional", &auth).await);
    assert_unavailable(&refresh(&s, &refresh_token).await);
    assert_unavailable(&s.post("/logout", &[&bearer(&auth)], "").await);
    assert_unavailable(
        &s.post(
            "/login",
            &[],
            r#"{"username":"alice","password":"alice-password"}"#,
        )
        .await,
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answers within the budget"
    );
    // Without a token, an optional route needs no store.
    assert_eq!(s.get("/optional", &[]).await.body, "anonymous");

    redis.restart();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let res = s.get_with_token("/me", &auth).await;
        if res.status == 200 {
            break;
        }
        assert_eq!(res.status, 503, "only 503 while reconnecting: {}", res.body);
        assert!(Instant::now() < deadline, "recovered within 10 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (again, _) = login(&s, "alice").await;
    assert_eq!(s.get_with_token("/me", &again).await.status, 200);
}

#[tokio::test]
async fn the_service_starts_while_redis_is_down() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let manager = manager_with(
        RedisStore::new(&format!("redis://127.0.0.1:{port}/")).unwrap(),
        Duration::ZERO,
    );
    let s = serve(manager.clone()).await;
    let token = TestToken::new(&manager, "alice").sign();
    assert_unavailable(&s.get_with_token("/me", &token).await);
    s.get("/me", &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");
}

#[tokio::test]
async fn the_same_service_in_a_browser_with_cookies() {
    let s = serve(manager_with(MemoryStore::new(), Duration::ZERO)).await;
    let home = s.get("/", &[]).await;
    assert_eq!(home.status, 303);
    assert_eq!(home.header("location"), Some("/login?next=/"));
    let form = s.get("/login?next=/", &[]).await;
    assert!(form.body.contains("name=\"username\"") && form.body.contains("name=\"password\""));

    let bad = s
        .post_form("/login", &[], "username=alice&password=nope")
        .await;
    assert_eq!(bad.status, 200);
    assert!(bad.headers_named("set-cookie").is_empty());

    let res = s
        .post_form(
            "/login",
            &[],
            "username=alice&password=alice-password&next=%2F",
        )
        .await;
    assert_eq!((res.status, res.header("location")), (303, Some("/")));
    let cookies = res.cookie_line();
    assert!(cookies.contains("auth_token=") && cookies.contains("refresh_token="));
    let page = s.get("/", &[&cookies]).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Logged in as alice."), "{}", page.body);

    // A forged logout from another origin is refused; the session survives.
    s.post_form("/logout", &[&cookies, "Sec-Fetch-Site: same-site"], "")
        .await
        .assert_refused(403, None, "csrf_rejected");
    assert_eq!(s.get("/", &[&cookies]).await.status, 200);

    let out = s
        .post_form("/logout", &[&cookies, "Sec-Fetch-Site: same-origin"], "")
        .await;
    assert_eq!((out.status, out.header("location")), (303, Some("/login")));
    assert!(
        out.headers_named("set-cookie")
            .iter()
            .all(|c| c.contains("Max-Age=0"))
    );
    assert_eq!(
        s.get("/", &[&cookies]).await.status,
        303,
        "the old cookie is refused"
    );
}
