//! A real server on 127.0.0.1 and a raw HTTP/1.1 client that sends bytes exactly as
//! written (so malformed and duplicated headers reach the server unchanged), with the
//! assertions every HTTP test makes on a refusal.

use std::{net::SocketAddr, time::Duration};

use auth_runtime::AuthManager;
use axum::{Extension, Router};
use serde_json::Value;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

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
        self.post_as("application/json", path, headers, body).await
    }

    /// `POST path` with an HTML form body (`a=1&b=2`) and extra header lines.
    pub async fn post_form(&self, path: &str, headers: &[&str], body: &str) -> Response {
        self.post_as("application/x-www-form-urlencoded", path, headers, body)
            .await
    }

    async fn post_as(
        &self,
        content_type: &str,
        path: &str,
        headers: &[&str],
        body: &str,
    ) -> Response {
        let mut raw = format!(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
             Content-Type: {content_type}\r\nContent-Length: {}\r\n",
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
    pub fn parse(bytes: &[u8]) -> Self {
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

    /// The `Cookie` header line a browser would send back after this response: every
    /// `Set-Cookie` name=value pair.
    pub fn cookie_line(&self) -> String {
        let pairs: Vec<&str> = self
            .headers_named("set-cookie")
            .into_iter()
            .map(|c| c.split(';').next().unwrap_or_default())
            .collect();
        format!("Cookie: {}", pairs.join("; "))
    }

    /// Every value of a header (`set-cookie` comes several times).
    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
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
