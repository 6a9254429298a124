//! An RFC 7662 authorization server on 127.0.0.1 for the introspection tests: it checks
//! this service's Basic credentials, counts its calls and answers per token as told.

use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response as HttpResponse},
    routing::post,
};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use super::tokens::now;

pub const CLIENT_ID: &str = "orders-api";
pub const CLIENT_SECRET: &str = "s3cret";
pub const AS_ISSUER: &str = "https://as.test";

/// What the authorization server answers about one token.
#[derive(Clone)]
pub enum Answer {
    /// 200 with this JSON.
    Json(Value),
    /// 200 with this JSON, after this delay.
    Slow(Duration, Value),
    /// This status, a JSON error body.
    Status(u16),
    /// 200 with these bytes.
    Raw(String),
}

#[derive(Default)]
pub struct AsState {
    pub answers: Mutex<HashMap<String, Answer>>,
    /// Each call: the token and its `token_type_hint`.
    pub calls: Mutex<Vec<(String, String)>>,
}

/// A running authorization server; its state outlives a restart on the same address.
pub struct AuthServer {
    pub addr: SocketAddr,
    pub state: Arc<AsState>,
}

impl AuthServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let state = Arc::new(AsState::default());
        serve_as(listener, state.clone());
        Self { addr, state }
    }

    pub fn url(&self) -> String {
        format!("http://{}/introspect", self.addr)
    }

    pub fn answer(&self, token: &str, answer: Answer) {
        self.state
            .answers
            .lock()
            .unwrap()
            .insert(token.into(), answer);
    }

    pub fn calls(&self, token: &str) -> usize {
        let calls = self.state.calls.lock().unwrap();
        calls.iter().filter(|(t, _)| t == token).count()
    }

    pub fn hints(&self, token: &str) -> Vec<String> {
        let calls = self.state.calls.lock().unwrap();
        calls
            .iter()
            .filter(|(t, _)| t == token)
            .map(|(_, hint)| hint.clone())
            .collect()
    }
}

pub fn serve_as(listener: TcpListener, state: Arc<AsState>) {
    let app = Router::new()
        .route("/introspect", post(introspect))
        .with_state(state);
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
}

/// RFC 7662 §2: this service's client credentials first (401 otherwise, §2.3), then the
/// form's token and hint.
pub async fn introspect(
    State(state): State<Arc<AsState>>,
    headers: HeaderMap,
    body: String,
) -> HttpResponse {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let basic = format!(
        "Basic {}",
        STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    if header("authorization") != Some(basic.as_str()) {
        return (StatusCode::UNAUTHORIZED, r#"{"error":"invalid_client"}"#).into_response();
    }
    assert_eq!(header("accept"), Some("application/json"));
    assert_eq!(
        header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form: HashMap<&str, &str> = body.split('&').filter_map(|p| p.split_once('=')).collect();
    let token = form.get("token").copied().unwrap_or_default().to_owned();
    let hint = form.get("token_type_hint").copied().unwrap_or_default();
    state
        .calls
        .lock()
        .unwrap()
        .push((token.clone(), hint.into()));
    let answer = state.answers.lock().unwrap().get(&token).cloned();
    match answer.unwrap_or(Answer::Json(json!({"active": false}))) {
        Answer::Json(value) => axum::Json(value).into_response(),
        Answer::Slow(delay, value) => {
            tokio::time::sleep(delay).await;
            axum::Json(value).into_response()
        }
        Answer::Status(status) => (
            StatusCode::from_u16(status).expect("status"),
            r#"{"error":"server_error"}"#,
        )
            .into_response(),
        Answer::Raw(bytes) => bytes.into_response(),
    }
}

/// An active token of `sub`, expiring in five minutes.
pub fn active(sub: &str) -> Answer {
    Answer::Json(json!({
        "active": true, "sub": sub, "scope": "orders:read orders:write",
        "iss": AS_ISSUER, "aud": ["orders-api"], "exp": now() + 300, "client_id": "web",
    }))
}
