//! The limits every example serves with (`auth_examples::serve_with`): a client that
//! never finishes its headers is cut off, a body over the limit is 413, a request over
//! its time is 408. Short limits here; the defaults are in `Limits::default()`.

use std::time::Duration;

use auth_examples::{Limits, serve_with};
use axum::{
    Json, Router,
    routing::{get, post},
};
use serde_json::Value;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late"
}

async fn echo(Json(body): Json<Value>) -> Json<Value> {
    Json(body)
}

async fn start() -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = Router::new()
        .route("/slow", get(slow))
        .route("/echo", post(echo));
    let limits = Limits {
        header_read_timeout: Duration::from_millis(300),
        request_timeout: Duration::from_millis(300),
        body_limit: 1024,
    };
    tokio::spawn(serve_with(listener, app, limits));
    addr
}

async fn exchange(addr: std::net::SocketAddr, raw: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(raw).await.expect("write");
    let mut out = Vec::new();
    // Bounded: the server answers or closes well within this.
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut out)).await;
    assert!(
        read.is_ok(),
        "the server neither answered nor closed the connection"
    );
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let addr = start().await;
    // Half a request, then silence: the connection is closed, the headers never read.
    let answer = exchange(addr, b"GET /slow HTTP/1.1\r\nHost: x\r\nX-Slow: ").await;
    assert!(!answer.contains("late"), "{answer}");
}

/// `POST /echo` with `body` as JSON: the raw answer.
async fn post_json(addr: std::net::SocketAddr, body: &str) -> String {
    let raw = format!(
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    exchange(addr, raw.as_bytes()).await
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_and_one_within_it_is_read() {
    let addr = start().await;
    let ok = post_json(addr, r#"{"a":1}"#).await;
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    let refused = post_json(addr, &format!(r#"{{"a":"{}"}}"#, "x".repeat(4096))).await;
    assert!(refused.starts_with("HTTP/1.1 413"), "{refused}");
}

#[tokio::test]
async fn a_request_over_its_time_is_408() {
    let addr = start().await;
    let answer = exchange(
        addr,
        b"GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}
