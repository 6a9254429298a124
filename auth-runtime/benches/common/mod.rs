//! What both benches share: the keys of each algorithm, the hand-written extractor they
//! measure the guard against, the signed tokens, and a request's parts.

#![allow(dead_code, unreachable_pub)]

use std::{
    future::Future,
    pin::pin,
    sync::Arc,
    task::{Context, Poll, Waker},
};

use auth_runtime::{Algorithm, AuthManager, Key, RequirementSpec, requirement::Requirement};
use axum::{
    extract::FromRequestParts,
    http::{HeaderValue, Request, StatusCode, header::AUTHORIZATION, request::Parts},
};
use jsonwebtoken::{DecodingKey, EncodingKey, Validation};
use serde::Deserialize;
use serde_json::{Value, json};

pub const ISSUER: &str = "bench";
pub const SECRET: &[u8] = b"a-benchmark-secret-that-is-32-bytes-long";

/// Runs a future that never waits (all extractors here are ready at once).
pub fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("the extractor waited"),
    }
}

pub fn pem(name: &str) -> Vec<u8> {
    let path = format!("{}/../tests/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub struct Setup {
    pub algorithm: Algorithm,
    pub key: Key,
    pub decoding: DecodingKey,
    pub encoding: EncodingKey,
}

pub fn setup(algorithm: Algorithm) -> Setup {
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
pub struct TypedClaims {
    pub sub: String,
    pub exp: u64,
    pub iat: u64,
    pub iss: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub scope: Option<Value>,
    pub jti: String,
}

/// What an application writes by hand: header, decode, done.
pub struct HandWritten(#[allow(dead_code)] pub TypedClaims);

pub struct HandKeys {
    pub decoding: DecodingKey,
    pub validation: Validation,
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

pub struct AnyToken;
impl RequirementSpec for AnyToken {
    const REQUIREMENT: &'static Requirement = &Requirement::new();
}

pub fn parts_with(token: &str, extension: impl Clone + Send + Sync + 'static) -> Parts {
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

/// Signs the bench's claims (7 claims, a 2-entry scope map) with `jti`, in the low-S form
/// the guard's signing key takes (jsonwebtoken writes either form of an ECDSA signature
/// at random, so it signs until the guard accepts).
pub fn signer(s: &Setup) -> impl Fn(String) -> String + '_ {
    let now = jsonwebtoken::get_current_timestamp();
    let claims = json!({
        "iss": ISSUER, "sub": "user-4b2d9a6b1c2d", "iat": now, "exp": now + 3600, "type": "auth",
        "jti": "1y9mZ7kq0Jw5nUe2c8HfQA", "scope": {"orders": "read write", "profile": "read"},
    });
    let checker = manager(s, 0);
    move |jti: String| {
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
    }
}

/// What the hand-written extractor validates: the algorithm, `iss`, `exp` and `nbf`.
pub fn validation(s: &Setup) -> Validation {
    let mut validation = Validation::new(s.algorithm);
    validation.set_issuer(&[ISSUER]);
    validation.leeway = 0;
    validation.validate_nbf = true;
    validation
}

/// The hand-written extractor's keys, as its request extension.
pub fn hand_keys(s: &Setup) -> Arc<HandKeys> {
    Arc::new(HandKeys {
        decoding: s.decoding.clone(),
        validation: validation(s),
    })
}

/// The guard's manager, with a cache of `capacity` tokens (0: off).
pub fn manager(s: &Setup, capacity: usize) -> AuthManager {
    AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(s.key.clone())
        .cache_capacity(capacity)
        .build()
        .expect("bench manager")
}
