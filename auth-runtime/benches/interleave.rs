//! Run with: `taskset -c 1 cargo bench -p auth-runtime --bench interleave`
//!
//! The ratios of `guard.rs` measured so that a busy machine does not blur them: for each
//! algorithm, 60 rounds each time 64 requests of the hand-written extractor, of the guard
//! on first-seen tokens (cache on) and of the guard with the cache off, one after the
//! other on the same 512 tokens. It prints each case's fastest round (what the code
//! costs when nothing else runs) and the median of the per-round ratios.

use std::{
    future::Future,
    hint::black_box,
    pin::pin,
    sync::Arc,
    task::{Context, Poll, Waker},
};

use auth_runtime::{Algorithm, AuthManager, Guard, Key, RequirementSpec, requirement::Requirement};
use axum::{
    extract::FromRequestParts,
    http::{HeaderValue, Request, StatusCode, header::AUTHORIZATION, request::Parts},
};
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

fn verification() {
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

        let with = |extension: &dyn Fn(&mut Parts)| -> Vec<Parts> {
            pool.iter()
                .map(|t| {
                    let mut parts = parts_with(t, ());
                    extension(&mut parts);
                    parts
                })
                .collect()
        };
        let hand_t = with(&|p| {
            p.extensions.insert(hand.clone());
        });
        let guard_t = with(&|p| {
            p.extensions.insert(small_cache.clone());
        });
        let off_t = with(&|p| {
            p.extensions.insert(uncached.clone());
        });
        const BATCH: usize = 64;
        let mut best = [f64::MAX; 3];
        let mut ratios = Vec::new();
        let mut next = 0usize;
        for _round in 0..60 {
            let mut this = [0f64; 3];
            for (i, templates) in [&hand_t, &guard_t, &off_t].into_iter().enumerate() {
                let mut batch: Vec<Parts> = (0..BATCH)
                    .map(|k| templates[(next + k) % templates.len()].clone())
                    .collect();
                let start = std::time::Instant::now();
                for parts in &mut batch {
                    let ok = if i == 0 {
                        ready(HandWritten::from_request_parts(parts, &())).is_ok()
                    } else {
                        ready(Guard::<AnyToken>::from_request_parts(parts, &())).is_ok()
                    };
                    assert!(black_box(ok));
                }
                let per = start.elapsed().as_secs_f64() / BATCH as f64;
                drop(batch);
                this[i] = per;
                best[i] = best[i].min(per);
            }
            next = (next + BATCH) % pool.len();
            ratios.push(this[1] / this[0]);
        }
        ratios.sort_by(f64::total_cmp);
        println!(
            "{algorithm:?}: min hand {:.2} us, min first-seen {:.2} us ({:.2}), min cache-off {:.2} us ({:.2}); median paired ratio first-seen {:.2}",
            best[0] * 1e6,
            best[1] * 1e6,
            best[1] / best[0],
            best[2] * 1e6,
            best[2] / best[0],
            ratios[ratios.len() / 2]
        );
    }
}

fn main() {
    verification();
}
