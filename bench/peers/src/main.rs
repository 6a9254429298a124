//! The server of the side-by-side load benchmark (`bench/peers/run.sh`).
//!
//! One axum 0.8 server, one port, the same short body on every route:
//!
//! - `GET /open`: no authentication (the reference);
//! - `GET /handwritten`: a hand-written `FromRequestParts` extractor around
//!   `jsonwebtoken::decode` (jsonwebtoken 11, the workspace's `aws_lc_rs` backend);
//! - `GET /peer/axum-jwt-auth`: axum-jwt-auth's `Claims` extractor and `LocalDecoder`
//!   (jsonwebtoken 10 with `rust_crypto`, the backend that crate requires);
//! - `GET /guard`: `#[require_token]`, verified-token cache on (the default, 4,096 tokens);
//! - `GET /guard-nocache`: the same handler under a second manager built with
//!   `cache_capacity(0)`.
//!
//! The two jsonwebtoken-based routes are configured to check what they can of what the
//! guard checks: the algorithm, the signature, `exp` and `nbf` with no leeway, `iss` and
//! `aud`, and the presence of `exp`, `iss`, `aud` and `sub`. They cannot check the rest
//! (`typ`, `crit`, the token kind, `iat` in the past, the JSON type of every registered
//! claim, duplicate claims), and they decode into a fixed struct instead of handing the
//! handler every claim.
//!
//! Environment: the manager reads `AUTH_*` like any service (`AUTH_ISSUER` defaults to
//! `bench`, `AUTH_AUDIENCE` to `bench-api`: axum-jwt-auth refuses a configuration without
//! an audience); the peers read the same `AUTH_ALGORITHM`, `AUTH_SECRET` and
//! `AUTH_PUBLIC_KEY_FILE`. `BIND` (default 127.0.0.1:3000), `WORKERS` (the runtime's worker
//! threads), `TOKENS_FILE` and `TOKENS` (default 20000): before listening, write that many
//! distinct valid tokens to that file, one a line, for the first-seen workload.
//!
//! Prints `TOKEN=<a valid token>`, then `listening on http://<addr>`.

use std::{io::Write, process::ExitCode, str::FromStr, sync::Arc, time::Instant};

use auth_runtime::{AuthManager, AuthManagerBuilder, require_token};
use axum::{
    Extension, Router,
    extract::FromRequestParts,
    http::{StatusCode, header::AUTHORIZATION, request::Parts},
    routing::get,
};
use axum_jwt_auth::{Claims, Decoder, LocalDecoder};
use serde::Deserialize;
use serde_json::Value;

const DEFAULT_ISSUER: &str = "bench";
const DEFAULT_AUDIENCE: &str = "bench-api";

/// The claims both jsonwebtoken-based routes decode into: those the guard's tokens carry.
#[derive(Deserialize)]
#[allow(dead_code)]
struct TypedClaims {
    sub: String,
    exp: u64,
    iat: u64,
    iss: String,
    aud: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    scope: Option<Value>,
    jti: String,
}

async fn open() -> &'static str {
    "ok"
}

/// What an application writes by hand: read the header, strip `Bearer `, decode.
struct HandWritten(#[allow(dead_code)] TypedClaims);

struct HandKeys {
    decoding: jsonwebtoken::DecodingKey,
    validation: jsonwebtoken::Validation,
}

impl<S: Send + Sync> FromRequestParts<S> for HandWritten {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, StatusCode> {
        let keys = parts
            .extensions
            .get::<Arc<HandKeys>>()
            .ok_or(StatusCode::INTERNAL_SERVER_ERROR)?;
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(StatusCode::UNAUTHORIZED)?;
        jsonwebtoken::decode::<TypedClaims>(token, &keys.decoding, &keys.validation)
            .map(|data| HandWritten(data.claims))
            .map_err(|_| StatusCode::UNAUTHORIZED)
    }
}

async fn handwritten(_: HandWritten) -> &'static str {
    "ok"
}

async fn axum_jwt_auth(_: Claims<TypedClaims>) -> &'static str {
    "ok"
}

#[require_token]
async fn guard() -> &'static str {
    "ok"
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// `AUTH_*` with this benchmark's defaults for the issuer and the audience.
fn setting(name: &str) -> Option<String> {
    match env(name) {
        None if name == auth_runtime::config::env::ISSUER => Some(DEFAULT_ISSUER.to_owned()),
        None if name == auth_runtime::config::env::AUDIENCE => Some(DEFAULT_AUDIENCE.to_owned()),
        value => value,
    }
}

/// The verification key material, as the manager reads it: the secret's bytes for HMAC,
/// the public key's PEM otherwise.
enum Material {
    Secret(Vec<u8>),
    Pem(Vec<u8>),
}

fn material(algorithm: &str) -> Result<Material, String> {
    if algorithm.starts_with("HS") {
        let secret = setting(auth_runtime::config::env::SECRET).ok_or("AUTH_SECRET is not set")?;
        Ok(Material::Secret(secret.into_bytes()))
    } else {
        let path = setting(auth_runtime::config::env::PUBLIC_KEY_FILE)
            .ok_or("AUTH_PUBLIC_KEY_FILE is not set")?;
        std::fs::read(&path)
            .map(Material::Pem)
            .map_err(|e| format!("{path}: {e}"))
    }
}

fn hand_keys(
    algorithm: &str,
    material: &Material,
    iss: &str,
    aud: &str,
) -> Result<HandKeys, String> {
    use jsonwebtoken::{Algorithm, DecodingKey, Validation};
    let alg = Algorithm::from_str(algorithm).map_err(|e| e.to_string())?;
    let decoding = match (material, alg) {
        (Material::Secret(s), _) => DecodingKey::from_secret(s),
        (Material::Pem(p), Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512)
        | (Material::Pem(p), Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512) => {
            DecodingKey::from_rsa_pem(p).map_err(|e| e.to_string())?
        }
        (Material::Pem(p), Algorithm::ES256 | Algorithm::ES384) => {
            DecodingKey::from_ec_pem(p).map_err(|e| e.to_string())?
        }
        (Material::Pem(p), _) => DecodingKey::from_ed_pem(p).map_err(|e| e.to_string())?,
    };
    let mut validation = Validation::new(alg);
    validation.set_issuer(&[iss]);
    validation.set_audience(&[aud]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.leeway = 0;
    validation.validate_nbf = true;
    Ok(HandKeys {
        decoding,
        validation,
    })
}

fn peer_decoder(
    algorithm: &str,
    material: &Material,
    iss: &str,
    aud: &str,
) -> Result<Decoder<TypedClaims>, String> {
    use jsonwebtoken10::{Algorithm, DecodingKey, Validation};
    let alg = Algorithm::from_str(algorithm).map_err(|e| e.to_string())?;
    let decoding = match (material, alg) {
        (Material::Secret(s), _) => DecodingKey::from_secret(s),
        (Material::Pem(p), Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512)
        | (Material::Pem(p), Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512) => {
            DecodingKey::from_rsa_pem(p).map_err(|e| e.to_string())?
        }
        (Material::Pem(p), Algorithm::ES256 | Algorithm::ES384) => {
            DecodingKey::from_ec_pem(p).map_err(|e| e.to_string())?
        }
        (Material::Pem(p), _) => DecodingKey::from_ed_pem(p).map_err(|e| e.to_string())?,
    };
    let mut validation = Validation::new(alg);
    validation.set_issuer(&[iss]);
    validation.set_audience(&[aud]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.leeway = 0;
    validation.validate_nbf = true;
    let decoder = LocalDecoder::builder()
        .keys(vec![decoding])
        .validation(validation)
        .build()
        .map_err(|e| e.to_string())?;
    Ok(Arc::new(decoder))
}

/// Signs `count` distinct tokens (each its own subject and `jti`) into `path`, one a line,
/// on every available core.
fn write_tokens(manager: &AuthManager, path: &str, count: usize) -> Result<(), String> {
    let started = Instant::now();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = count.div_ceil(threads);
    let parts: Vec<Result<Vec<String>, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (t * chunk..((t + 1) * chunk).min(count))
                        .map(|i| {
                            manager
                                .auth_token(format!("user-{i:05}"))
                                .sign()
                                .map_err(|e| e.to_string())
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("signing thread panicked".into()))
            })
            .collect()
    });
    let mut out =
        std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?);
    for part in parts {
        for token in part? {
            writeln!(out, "{token}").map_err(|e| format!("{path}: {e}"))?;
        }
    }
    out.flush().map_err(|e| format!("{path}: {e}"))?;
    eprintln!(
        "wrote {count} tokens to {path} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn run() -> Result<(), String> {
    let builder = || AuthManagerBuilder::from_env_with(setting).map_err(|e| e.to_string());
    let manager = builder()?.build().map_err(|e| e.to_string())?;
    let uncached = builder()?
        .cache_capacity(0)
        .build()
        .map_err(|e| e.to_string())?;
    let algorithm = setting(auth_runtime::config::env::ALGORITHM).unwrap_or_else(|| "HS256".into());
    let iss = manager.issuer().to_owned();
    let aud = manager
        .audience()
        .ok_or("the benchmark needs an audience (AUTH_AUDIENCE)")?
        .to_owned();
    let material = material(&algorithm)?;
    let hand = Arc::new(hand_keys(&algorithm, &material, &iss, &aud)?);
    let peer = peer_decoder(&algorithm, &material, &iss, &aud)?;

    let token = manager
        .auth_token("alice")
        .sign()
        .map_err(|e| e.to_string())?;
    // Every route must accept the token before anything is measured.
    check(&manager, &uncached, &hand, &peer, &token)?;
    if let Some(path) = env("TOKENS_FILE") {
        let count = env("TOKENS").map_or(Ok(20_000), |n| {
            n.parse::<usize>().map_err(|e| format!("TOKENS: {e}"))
        })?;
        write_tokens(&manager, &path, count)?;
    }

    let app = Router::new()
        .route("/open", get(open))
        .route("/handwritten", get(handwritten))
        .layer(Extension(hand))
        .merge(
            Router::new()
                .route("/peer/axum-jwt-auth", get(axum_jwt_auth))
                .with_state(peer),
        )
        .merge(
            Router::new()
                .route("/guard", get(guard))
                .layer(Extension(manager)),
        )
        .merge(
            Router::new()
                .route("/guard-nocache", get(guard))
                .layer(Extension(uncached)),
        );

    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if let Some(workers) = env("WORKERS").and_then(|w| w.parse().ok()) {
        runtime.worker_threads(workers);
    }
    let runtime = runtime.enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let bind = env("BIND").unwrap_or_else(|| "127.0.0.1:3000".into());
        let listener = tokio::net::TcpListener::bind(&bind)
            .await
            .map_err(|e| format!("{bind}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        println!("TOKEN={token}");
        println!("listening on http://{addr}");
        axum::serve(listener, app).await.map_err(|e| e.to_string())
    })
}

/// Verifies `token` the way each route will, so a misconfigured route fails here instead
/// of being measured answering 401s.
fn check(
    manager: &AuthManager,
    uncached: &AuthManager,
    hand: &HandKeys,
    peer: &Decoder<TypedClaims>,
    token: &str,
) -> Result<(), String> {
    manager.verify(token).map_err(|e| format!("guard: {e}"))?;
    uncached
        .verify(token)
        .map_err(|e| format!("guard, cache off: {e}"))?;
    jsonwebtoken::decode::<TypedClaims>(token, &hand.decoding, &hand.validation)
        .map_err(|e| format!("hand-written: {e}"))?;
    let peer_result = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?
        .block_on(peer.decode(token));
    peer_result.map_err(|e| format!("axum-jwt-auth: {e}"))?;
    Ok(())
}
