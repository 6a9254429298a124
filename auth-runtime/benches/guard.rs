//! Run with: `cargo bench -p auth-runtime`
//!
//! Side by side, in one run, for HS256, RS256, ES256 and EdDSA:
//! - `jsonwebtoken_decode`: raw `jsonwebtoken::decode` into a typed claims struct, with the
//!   key and `Validation` built once (the floor any library built on it starts from);
//! - `handwritten_extractor`: a hand-written axum extractor around that decode (what most
//!   applications write, and the baseline of DESIGN.md section 8);
//! - `guard_first_seen`: our `#[require_token]` guard on tokens it has not seen, with the
//!   cache on (so the cost of filling it is counted): 512 distinct tokens in turn through
//!   a 16-token cache, so practically every request misses;
//! - `guard_cache_off`: the guard with the cache turned off;
//! - `guard_cached`: the guard on a repeated token (cache on).
//!
//! Plus `matching/realistic_requirement`: the checks of
//! `sub = "username", scope("orders:read"), override(admin = true)` on verified claims.

use std::{
    future::Future,
    hint::black_box,
    pin::pin,
    sync::Arc,
    task::{Context, Poll, Waker},
};

use auth_runtime::{
    Algorithm, AuthManager, Guard, Key, RequirementSpec,
    matching::{entries_hold, override_holds, path_param_matches, scope_name_granted},
    requirement::{Entry, Expected, Requirement},
};
use axum::{
    extract::FromRequestParts,
    http::{HeaderValue, Request, StatusCode, header::AUTHORIZATION, request::Parts},
};
use criterion::{Criterion, criterion_group, criterion_main};
use jsonwebtoken::{DecodingKey, EncodingKey, Validation};
use serde::Deserialize;
use serde_json::{Value, json};

const ISSUER: &str = "bench";
const SECRET: &[u8] = b"a-benchmark-secret-that-is-32-bytes-long";

/// Runs a future that never waits (all extractors here are ready at once).
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("the extractor waited"),
    }
}

fn pem(name: &str) -> Vec<u8> {
    let path = format!("{}/../tests/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

struct Setup {
    algorithm: Algorithm,
    key: Key,
    decoding: DecodingKey,
    encoding: EncodingKey,
}

fn setup(algorithm: Algorithm) -> Setup {
    let files = match algorithm {
        Algorithm::RS256 => Some(("rsa-private.pem", "rsa-public.pem")),
        Algorithm::ES256 => Some(("ec256-private.pem", "ec256-public.pem")),
        Algorithm::EdDSA => Some(("ed25519-private.pem", "ed25519-public.pem")),
        _ => None,
    };
    match files {
        None => Setup {
            algorithm,
            key: Key::hmac(algorithm, SECRET).expect("bench secret"),
            decoding: DecodingKey::from_secret(SECRET),
            encoding: EncodingKey::from_secret(SECRET),
        },
        Some((private, public)) => {
            let (private, public) = (pem(private), pem(public));
            let (decoding, encoding) = match algorithm {
                Algorithm::RS256 => (
                    DecodingKey::from_rsa_pem(&public),
                    EncodingKey::from_rsa_pem(&private),
                ),
                Algorithm::ES256 => (
                    DecodingKey::from_ec_pem(&public),
                    EncodingKey::from_ec_pem(&private),
                ),
                _ => (
                    DecodingKey::from_ed_pem(&public),
                    EncodingKey::from_ed_pem(&private),
                ),
            };
            Setup {
                algorithm,
                key: Key::from_pem(algorithm, private, public).expect("bench key pair"),
                decoding: decoding.expect("decoding key"),
                encoding: encoding.expect("encoding key"),
            }
        }
    }
}

/// The claims a hand-written extractor would decode into.
#[derive(Deserialize)]
#[allow(dead_code)]
struct TypedClaims {
    sub: String,
    exp: u64,
    iat: u64,
    iss: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    scope: Option<Value>,
    jti: String,
}

/// What an application writes by hand: header, decode, done.
struct HandWritten(#[allow(dead_code)] TypedClaims);

struct HandKeys {
    decoding: DecodingKey,
    validation: Validation,
}

impl<S: Send + Sync> FromRequestParts<S> for HandWritten {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, StatusCode> {
        let keys = parts
            .extensions
            .get::<Arc<HandKeys>>()
            .ok_or(StatusCode::INTERNAL_SERVER_ERROR)?;
        let value = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or(StatusCode::UNAUTHORIZED)?;
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(StatusCode::UNAUTHORIZED)?;
        jsonwebtoken::decode::<TypedClaims>(token, &keys.decoding, &keys.validation)
            .map(|data| HandWritten(data.claims))
            .map_err(|_| StatusCode::UNAUTHORIZED)
    }
}

struct AnyToken;
impl RequirementSpec for AnyToken {
    const REQUIREMENT: &'static Requirement = &Requirement::new();
}

fn parts_with(token: &str, extension: impl Clone + Send + Sync + 'static) -> Parts {
    let mut parts = Request::builder()
        .uri("/protected")
        .header(
            AUTHORIZATION,
            HeaderValue::from_str(&format!("Bearer {token}")).expect("header"),
        )
        .body(())
        .expect("request")
        .into_parts()
        .0;
    parts.extensions.insert(extension);
    parts
}

fn verification(c: &mut Criterion) {
    for algorithm in [
        Algorithm::HS256,
        Algorithm::RS256,
        Algorithm::ES256,
        Algorithm::EdDSA,
    ] {
        let s = setup(algorithm);
        let now = jsonwebtoken::get_current_timestamp();
        let claims = json!({
            "iss": ISSUER, "sub": "user-4b2d9a6b1c2d", "iat": now, "exp": now + 3600, "type": "auth",
            "jti": "1y9mZ7kq0Jw5nUe2c8HfQA", "scope": {"orders": "read write", "profile": "read"},
        });
        // The guard's signing key takes only low-S ECDSA signatures (the form the library
        // writes); jsonwebtoken writes either at random, so sign until it is the low one.
        let checker = AuthManager::builder()
            .issuer(ISSUER)
            .signing_key(s.key.clone())
            .cache_capacity(0)
            .build()
            .expect("bench manager");
        let sign = |jti: String| {
            let mut claims = claims.clone();
            claims["jti"] = json!(jti);
            loop {
                let token = jsonwebtoken::encode(
                    &jsonwebtoken::Header::new(s.algorithm),
                    &claims,
                    &s.encoding,
                )
                .expect("sign");
                if checker.verify(&token).is_ok() {
                    return token;
                }
            }
        };
        let token = sign("1y9mZ7kq0Jw5nUe2c8HfQA".to_owned());
        let pool: Vec<String> = (0..512).map(|i| sign(format!("distinct-{i:06}"))).collect();
        let mut validation = Validation::new(s.algorithm);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 0;
        validation.validate_nbf = true;
        let hand = Arc::new(HandKeys {
            decoding: s.decoding.clone(),
            validation: validation.clone(),
        });
        let manager = |capacity| {
            AuthManager::builder()
                .issuer(ISSUER)
                .signing_key(s.key.clone())
                .cache_capacity(capacity)
                .build()
                .expect("bench manager")
        };
        let uncached = manager(0);
        let small_cache = manager(16);
        let cached = manager(4096);

        let mut group = c.benchmark_group(format!("{algorithm:?}"));
        let mut next = 0;
        group.bench_function("jsonwebtoken_decode", |b| {
            b.iter(|| {
                next = (next + 1) % pool.len();
                jsonwebtoken::decode::<TypedClaims>(
                    black_box(&pool[next]),
                    &s.decoding,
                    &validation,
                )
                .expect("valid")
            })
        });
        let run = |group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
                   name: &str,
                   templates: &[Parts],
                   extract: &dyn Fn(&mut Parts)| {
            let mut next = 0;
            group.bench_function(name, |b| {
                b.iter_batched_ref(
                    || {
                        next = (next + 1) % templates.len();
                        templates[next].clone()
                    },
                    |parts| extract(parts),
                    criterion::BatchSize::SmallInput,
                )
            });
        };
        let with = |extension: &dyn Fn(&mut Parts)| -> Vec<Parts> {
            pool.iter()
                .map(|t| {
                    let mut parts = parts_with(t, ());
                    extension(&mut parts);
                    parts
                })
                .collect()
        };
        let guard = |parts: &mut Parts| {
            assert!(
                ready(Guard::<AnyToken>::from_request_parts(parts, &())).is_ok(),
                "valid"
            );
        };
        let handwritten = |parts: &mut Parts| {
            assert!(
                ready(HandWritten::from_request_parts(parts, &())).is_ok(),
                "valid"
            );
        };
        run(
            &mut group,
            "handwritten_extractor",
            &with(&|p| {
                p.extensions.insert(hand.clone());
            }),
            &handwritten,
        );
        run(
            &mut group,
            "guard_first_seen",
            &with(&|p| {
                p.extensions.insert(small_cache.clone());
            }),
            &guard,
        );
        run(
            &mut group,
            "guard_cache_off",
            &with(&|p| {
                p.extensions.insert(uncached.clone());
            }),
            &guard,
        );
        let repeated: Vec<Parts> = vec![parts_with(&token, cached.clone())];
        run(&mut group, "guard_cached", &repeated, &guard);
        group.finish();
    }
}

fn matching(c: &mut Criterion) {
    const OVERRIDE: &[Entry] = &[Entry::new("admin", Expected::Bool(true))];
    let claims = json!({
        "iss": ISSUER, "sub": "alice", "iat": 0, "exp": 1, "type": "auth",
        "scope": "orders:read orders:write profile:read",
    });
    let claims = claims.as_object().expect("object").clone();
    let mut group = c.benchmark_group("matching");
    group.bench_function("realistic_requirement", |b| {
        b.iter(|| {
            let claims = black_box(&claims);
            let waived = override_holds(OVERRIDE, claims);
            let bound = claims
                .get("sub")
                .is_some_and(|s| path_param_matches(s, black_box("alice")));
            let scoped = claims
                .get("scope")
                .is_some_and(|s| scope_name_granted(s, "orders:read"));
            assert!(!waived && bound && scoped && entries_hold(&[], claims));
        })
    });
    group.finish();
}

criterion_group!(benches, verification, matching);
criterion_main!(benches);
