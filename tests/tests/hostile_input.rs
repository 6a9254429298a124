//! Bad input from a request never panics, never answers 500 and is never accepted:
//! deterministic pseudo-random tokens and mutations of a valid one, through
//! `AuthManager::verify` and over HTTP.

mod common;

use auth_runtime::{AuthError, CurrentToken, require_token};
use axum::{Router, extract::Path, routing::get};
use common::*;

/// xorshift64*: a small deterministic generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const ALPHABET: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \"\\%{}[]:,";

fn random_token(rng: &mut Rng) -> String {
    let len = rng.below(400);
    (0..len).map(|_| char::from(*rng.pick(ALPHABET))).collect()
}

/// One random edit of a valid token: flip a byte, cut, duplicate or swap segments.
fn mutate(rng: &mut Rng, token: &str) -> String {
    let mut bytes = token.as_bytes().to_vec();
    match rng.below(6) {
        0 => {
            let i = rng.below(bytes.len());
            let mut c = *rng.pick(ALPHABET);
            if c == bytes[i] {
                c = if c == b'A' { b'B' } else { b'A' };
            }
            bytes[i] = c;
        }
        1 => bytes.truncate(rng.below(bytes.len())),
        2 => {
            let i = rng.below(bytes.len());
            bytes.insert(i, *rng.pick(ALPHABET));
        }
        3 => {
            let i = rng.below(bytes.len());
            bytes.remove(i);
        }
        4 => {
            let parts: Vec<&str> = token.split('.').collect();
            return format!("{}.{}.{}", parts[1], parts[0], parts[2]);
        }
        _ => {
            let parts: Vec<&str> = token.split('.').collect();
            return format!("{}.{}.{}.{}", parts[0], parts[1], parts[1], parts[2]);
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn random_and_mutated_tokens_are_refused_without_panicking() {
    let manager = manager();
    let valid = auth_token(&manager, "alice");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..5000 {
        let token = random_token(&mut rng);
        assert!(manager.verify(&token).is_err(), "accepted {token:?}");
    }
    for _ in 0..5000 {
        let token = mutate(&mut rng, &valid);
        if token == valid {
            continue;
        }
        match manager.verify(&token) {
            Ok(t) => panic!("accepted a mutation {token:?}: {t:?}"),
            Err(e) => assert!(!e.is_server_fault(), "{e:?}"),
        }
    }
    // The valid token is still accepted after the flood.
    assert_eq!(manager.verify(&valid).unwrap().sub(), "alice");
}

#[require_token(sub = "username")]
async fn profile(Path(username): Path<String>, token: CurrentToken) -> String {
    format!("{username}:{}", token.sub())
}

#[tokio::test]
async fn hostile_requests_never_answer_500() {
    let manager = manager();
    let valid = auth_token(&manager, "alice");
    let router = Router::new().route("/users/{username}", get(profile));
    let server = TestServer::start(router, manager).await;
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let paths = [
        "alice",
        "%61lice",
        "al%00ice",
        "%FF",
        "%2F",
        "..",
        "alice%2F..",
        "a%20b",
        "ALICE",
    ];
    for i in 0..300 {
        let path = format!("/users/{}", rng.pick(&paths));
        let header = match i % 3 {
            0 => format!("Authorization: Bearer {}", mutate(&mut rng, &valid)),
            1 => format!("Authorization: {}", random_token(&mut rng).trim()),
            _ => format!("Cookie: auth_token={}", mutate(&mut rng, &valid)),
        };
        let res = server.get(&path, &[&header]).await;
        assert!(
            matches!(res.status, 400 | 401 | 403 | 404),
            "{path} with {header:?}: {res:?}"
        );
        if res.status != 404 {
            assert!(res.body.starts_with('{'), "JSON error body: {res:?}");
        }
    }
    let res = server.get_with_token("/users/alice", &valid).await;
    assert_eq!((res.status, res.body.as_str()), (200, "alice:alice"));
}

#[test]
fn refusals_never_print_the_token() {
    let manager = manager();
    let valid = auth_token(&manager, "alice");
    let signature = valid.rsplit_once('.').unwrap().1;
    let mut rng = Rng(42);
    for _ in 0..500 {
        let token = mutate(&mut rng, &valid);
        if let Err(e) = manager.verify(&token) {
            let text = format!("{e} {e:?}");
            assert!(!text.contains(signature), "{text}");
            assert!(!matches!(e, AuthError::NotConfigured));
        }
    }
}

/// A `typ` longer than `application/` with a multi-byte character across its 12th byte
/// (found by the mutation driver): refused, before the signature is checked, without a
/// panic; over HTTP a 401 rather than a dropped connection.
#[tokio::test]
async fn a_typ_with_a_character_across_byte_twelve_is_refused_without_panicking() {
    let manager = manager();
    let payload = claims("alice").to_string();
    for typ in [
        "aaaaaaaaaaaé",
        "applicationé",
        "\u{1F600}\u{1F600}\u{1F600}x",
        "application/é",
    ] {
        let token = sign_raw(format!(r#"{{"alg":"HS256","typ":"{typ}"}}"#), &payload);
        match manager.verify(&token) {
            Err(AuthError::UnsupportedHeader { parameter: "typ" }) => {}
            other => panic!("typ {typ:?}: {other:?}"),
        }
    }
    let token = sign_raw(r#"{"alg":"HS256","typ":"aaaaaaaaaaaé"}"#, &payload);
    let router = Router::new().route("/users/{username}", get(profile));
    let server = TestServer::start(router, manager).await;
    server
        .get_with_token("/users/alice", &token)
        .await
        .assert_invalid_token();
}
