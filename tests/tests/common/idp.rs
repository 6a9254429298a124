//! A test identity provider on 127.0.0.1: it publishes a JWKS (written by the library's
//! own publisher, `Key::public_jwk`) and an OpenID Connect discovery document, counts
//! the fetches, can be made to fail or serve any bytes, and signs provider-style tokens
//! (no `type` claim).

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use auth_runtime::{Algorithm, Key};
use axum::{
    Router,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use super::keys::{encoding_key, signing_key};
use super::tokens::now;

/// What the provider answers on its JWKS URL.
#[derive(Clone)]
pub enum Reply {
    /// 200 with these bytes.
    Body(Vec<u8>),
    /// This status, empty body.
    Status(u16),
}

struct IdpState {
    jwks: Mutex<Reply>,
    discovery_issuer: Mutex<Option<String>>,
    jwks_fetches: AtomicUsize,
    discovery_fetches: AtomicUsize,
    base: String,
}

/// A running provider; dropped with the test's runtime.
pub struct Idp {
    pub addr: SocketAddr,
    state: Arc<IdpState>,
}

impl Idp {
    /// A provider publishing `keys`.
    pub async fn start(keys: &[&IdpKey]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(IdpState {
            jwks: Mutex::new(Reply::Status(404)),
            discovery_issuer: Mutex::new(None),
            jwks_fetches: AtomicUsize::new(0),
            discovery_fetches: AtomicUsize::new(0),
            base: format!("http://{addr}"),
        });
        let app = Router::new()
            .route("/jwks.json", get(jwks))
            .route("/.well-known/openid-configuration", get(discovery))
            .with_state(state.clone());
        tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        let idp = Self { addr, state };
        idp.publish(keys);
        idp
    }

    /// The issuer (`iss`), also the base URL of its discovery document.
    pub fn issuer(&self) -> String {
        self.state.base.clone()
    }

    pub fn jwks_url(&self) -> String {
        format!("{}/jwks.json", self.state.base)
    }

    /// Publishes exactly these keys.
    pub fn publish(&self, keys: &[&IdpKey]) {
        let keys: Vec<Value> = keys.iter().map(|k| k.jwk()).collect();
        self.reply(Reply::Body(
            json!({ "keys": keys }).to_string().into_bytes(),
        ));
    }

    /// Publishes a document of raw JSON keys.
    pub fn publish_raw_keys(&self, keys: Vec<Value>) {
        self.reply(Reply::Body(
            json!({ "keys": keys }).to_string().into_bytes(),
        ));
    }

    pub fn reply(&self, reply: Reply) {
        *self.state.jwks.lock().unwrap() = reply;
    }

    /// Makes the discovery document name another issuer.
    pub fn discovery_names(&self, issuer: &str) {
        *self.state.discovery_issuer.lock().unwrap() = Some(issuer.to_owned());
    }

    pub fn jwks_fetches(&self) -> usize {
        self.state.jwks_fetches.load(Ordering::SeqCst)
    }

    pub fn discovery_fetches(&self) -> usize {
        self.state.discovery_fetches.load(Ordering::SeqCst)
    }
}

async fn jwks(State(state): State<Arc<IdpState>>) -> Response {
    state.jwks_fetches.fetch_add(1, Ordering::SeqCst);
    let reply = state.jwks.lock().unwrap().clone();
    match reply {
        Reply::Body(bytes) => ([("content-type", "application/json")], bytes).into_response(),
        Reply::Status(code) => StatusCode::from_u16(code).unwrap().into_response(),
    }
}

async fn discovery(State(state): State<Arc<IdpState>>) -> Response {
    state.discovery_fetches.fetch_add(1, Ordering::SeqCst);
    let issuer = state
        .discovery_issuer
        .lock()
        .unwrap()
        .clone()
        .unwrap_or_else(|| state.base.clone());
    axum::Json(json!({
        "issuer": issuer,
        "jwks_uri": format!("{}/jwks.json", state.base),
        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
    }))
    .into_response()
}

/// One of a provider's signing keys (the test PEM pair of its algorithm) under a `kid`.
pub struct IdpKey {
    pub kid: String,
    pub algorithm: Algorithm,
    key: Key,
}

impl IdpKey {
    pub fn new(kid: &str, algorithm: Algorithm) -> Self {
        Self {
            kid: kid.to_owned(),
            algorithm,
            key: signing_key(algorithm).with_kid(kid),
        }
    }

    /// The public JWK, as the library publishes it.
    pub fn jwk(&self) -> Value {
        self.key.public_jwk().expect("an asymmetric key")
    }

    /// Signs `claims` with this key: header `alg`, `kid` and `typ` (none when `None`).
    pub fn sign(&self, claims: &Value, typ: Option<&str>) -> String {
        self.sign_as(&self.kid, claims, typ)
    }

    /// Signs with this key but names another `kid`.
    pub fn sign_as(&self, kid: &str, claims: &Value, typ: Option<&str>) -> String {
        let mut header = jsonwebtoken::Header::new(self.algorithm);
        header.kid = Some(kid.to_owned());
        header.typ = typ.map(str::to_owned);
        jsonwebtoken::encode(&header, claims, &encoding_key(self.algorithm)).expect("sign")
    }
}

/// The claims of a provider's access token: no `type`, a space-delimited `scope`.
pub fn provider_claims(issuer: &str, sub: &str, scope: &str) -> Value {
    json!({
        "iss": issuer, "sub": sub, "aud": "api", "iat": now(), "exp": now() + 300,
        "scope": scope, "jti": format!("{sub}-{}", now()),
    })
}

/// Waits `duration` (the tests' short cooldowns).
pub async fn pause(duration: Duration) {
    tokio::time::sleep(duration).await;
}
