//! Helpers shared by the HTTP tests: keys, managers, hand-made tokens, a real server on
//! 127.0.0.1 and a raw HTTP/1.1 client that sends bytes exactly as written (so malformed
//! and duplicated headers reach the server unchanged).

#![allow(dead_code, unreachable_pub)]

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use auth_runtime::{Algorithm, AuthManager, Key};
use axum::{Extension, Router};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::Value;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

pub const ISSUER: &str = "tests";
pub const SECRET: &str = "an-hs256-test-secret-that-is-long-enough";

pub fn key_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("keys")
        .join(name)
}

pub fn pem(name: &str) -> Vec<u8> {
    std::fs::read(key_path(name)).expect("test key file")
}

/// The files of one asymmetric algorithm's key pair.
pub fn key_files(algorithm: Algorithm) -> (&'static str, &'static str) {
    match algorithm {
        Algorithm::ES256 => ("ec256-private.pem", "ec256-public.pem"),
        Algorithm::ES384 => ("ec384-private.pem", "ec384-public.pem"),
        Algorithm::EdDSA => ("ed25519-private.pem", "ed25519-public.pem"),
        _ => ("rsa-private.pem", "rsa-public.pem"),
    }
}

/// A signing key for `algorithm`: the test secret for HS*, the test PEM pair otherwise.
pub fn signing_key(algorithm: Algorithm) -> Key {
    match algorithm {
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
            Key::hmac(algorithm, hmac_secret(algorithm)).expect("test secret")
        }
        _ => {
            let (private, public) = key_files(algorithm);
            Key::from_pem(algorithm, pem(private), pem(public)).expect("test key pair")
        }
    }
}

pub fn hmac_secret(algorithm: Algorithm) -> Vec<u8> {
    let len = match algorithm {
        Algorithm::HS384 => 48,
        Algorithm::HS512 => 64,
        _ => 32,
    };
    SECRET.bytes().cycle().take(len.max(SECRET.len())).collect()
}

/// An HS256 manager with the default policy.
pub fn manager() -> AuthManager {
    manager_for(Algorithm::HS256)
}

pub fn manager_for(algorithm: Algorithm) -> AuthManager {
    AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(signing_key(algorithm))
        .build()
        .expect("test manager")
}

/// The encoding key behind `signing_key`, for forging tokens by hand.
pub fn encoding_key(algorithm: Algorithm) -> jsonwebtoken::EncodingKey {
    match algorithm {
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
            jsonwebtoken::EncodingKey::from_secret(&hmac_secret(algorithm))
        }
        Algorithm::ES256 | Algorithm::ES384 => {
            jsonwebtoken::EncodingKey::from_ec_pem(&pem(key_files(algorithm).0)).expect("ec key")
        }
        Algorithm::EdDSA => {
            jsonwebtoken::EncodingKey::from_ed_pem(&pem(key_files(algorithm).0)).expect("ed key")
        }
        _ => {
            jsonwebtoken::EncodingKey::from_rsa_pem(&pem(key_files(algorithm).0)).expect("rsa key")
        }
    }
}

/// An auth token for `sub`, issued by `manager`.
pub fn auth_token(manager: &AuthManager, sub: &str) -> String {
    manager.auth_token(sub).sign().expect("issue a test token")
}

/// An auth token for `sub` whose scope grants `admin`.
pub fn admin_token(manager: &AuthManager, sub: &str) -> String {
    manager
        .auth_token(sub)
        .scope(serde_json::json!({"admin": true}))
        .sign()
        .expect("issue a test token")
}

pub fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

/// Claims of a valid auth token for `sub`, as this library issues them.
pub fn claims(sub: &str) -> Value {
    serde_json::json!({
        "iss": ISSUER, "sub": sub, "iat": now(), "exp": now() + 600,
        "type": "auth", "jti": "test-jti",
    })
}

/// Signs arbitrary claims with the test HS256 key and a `{"alg","typ":"JWT"}` header.
pub fn sign(claims: &Value) -> String {
    sign_with(Algorithm::HS256, claims)
}

pub fn sign_with(algorithm: Algorithm, claims: &Value) -> String {
    let header = jsonwebtoken::Header::new(algorithm);
    jsonwebtoken::encode(&header, claims, &encoding_key(algorithm)).expect("sign test token")
}

/// A token from raw header and payload JSON text, HMAC-signed with the test secret over
/// exactly those bytes (for duplicate keys and other shapes serde would not produce).
pub fn sign_raw(header_json: &str, payload_json: impl AsRef<[u8]>) -> String {
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header_json),
        URL_SAFE_NO_PAD.encode(payload_json)
    );
    let key = hmac_sha256(&hmac_secret(Algorithm::HS256), signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(key))
}

/// HMAC-SHA256 through jsonwebtoken's own signer (no extra crypto dependency).
fn hmac_sha256(secret: &[u8], message: &[u8]) -> Vec<u8> {
    let key = jsonwebtoken::EncodingKey::from_secret(secret);
    let signature = jsonwebtoken::crypto::sign(message, &key, Algorithm::HS256).expect("hmac");
    URL_SAFE_NO_PAD
        .decode(signature)
        .expect("base64url signature")
}

/// A running server on 127.0.0.1; dropped with the test's runtime.
pub struct TestServer {
    pub addr: SocketAddr,
}

impl TestServer {
    /// Serves `router` with `manager` installed.
    pub async fn start(router: Router, manager: AuthManager) -> Self {
        Self::start_plain(router.layer(Extension(manager))).await
    }

    /// Serves `router` as it is.
    pub async fn start_plain(router: Router) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(async move {
            axum::serve(listener, router).await.expect("serve");
        });
        Self { addr }
    }

    /// `GET path` with the given extra header lines (`"Name: value"`).
    pub async fn get(&self, path: &str, headers: &[&str]) -> Response {
        let mut raw = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for h in headers {
            raw.push_str(h);
            raw.push_str("\r\n");
        }
        raw.push_str("\r\n");
        self.send(raw.as_bytes()).await
    }

    /// `GET path` with `Authorization: Bearer <token>`.
    pub async fn get_with_token(&self, path: &str, token: &str) -> Response {
        self.get(path, &[&format!("Authorization: Bearer {token}")])
            .await
    }

    /// `POST path` with a JSON body and extra header lines.
    pub async fn post(&self, path: &str, headers: &[&str], body: &str) -> Response {
        let mut raw = format!(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        for h in headers {
            raw.push_str(h);
            raw.push_str("\r\n");
        }
        raw.push_str("\r\n");
        raw.push_str(body);
        self.send(raw.as_bytes()).await
    }

    /// Sends raw bytes and reads the whole response.
    pub async fn send(&self, raw: &[u8]) -> Response {
        let mut stream = TcpStream::connect(self.addr).await.expect("connect");
        stream.write_all(raw).await.expect("write request");
        let mut bytes = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut bytes))
            .await
            .expect("response within 10 s")
            .expect("read response");
        Response::parse(&bytes)
    }
}

/// A parsed HTTP/1.1 response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    fn parse(bytes: &[u8]) -> Self {
        let text = String::from_utf8_lossy(bytes);
        let (head, body) = text.split_once("\r\n\r\n").expect("a complete response");
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        let body = if chunked {
            dechunk(body)
        } else {
            body.to_owned()
        };
        Self {
            status,
            headers,
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", self.body))
    }

    /// The `error` member of a JSON error body.
    pub fn error_code(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_owned()
    }

    /// Asserts an RFC 6750 refusal: status, `WWW-Authenticate` and JSON error code.
    #[track_caller]
    pub fn assert_refused(&self, status: u16, challenge: Option<&str>, code: &str) {
        assert_eq!(self.status, status, "status; body {:?}", self.body);
        assert_eq!(
            self.header("www-authenticate"),
            challenge,
            "WWW-Authenticate"
        );
        assert_eq!(self.error_code(), code, "JSON error code");
    }

    #[track_caller]
    pub fn assert_invalid_request(&self) {
        self.assert_refused(
            400,
            Some("Bearer error=\"invalid_request\""),
            "invalid_request",
        );
    }

    #[track_caller]
    pub fn assert_insufficient_scope(&self) {
        self.assert_refused(
            403,
            Some("Bearer error=\"insufficient_scope\""),
            "insufficient_scope",
        );
    }

    #[track_caller]
    pub fn assert_invalid_token(&self) {
        self.assert_refused(401, Some("Bearer error=\"invalid_token\""), "invalid_token");
    }
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}
