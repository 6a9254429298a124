//! What every example server shares: logging, the `BIND` address, a one-line log per
//! request, production limits (a header-read timeout, a request timeout, a body limit),
//! and printing a failure's `Display` text.

use std::{
    net::SocketAddr,
    process::ExitCode,
    time::{Duration, Instant},
};

use auth_runtime::{AuthManager, AuthManagerBuilder, ConfigError};
use axum::{
    Router,
    extract::{DefaultBodyLimit, Request},
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
};
use hyper::server::conn::http1;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use tokio::net::TcpListener;

/// The address when `BIND` is not set.
pub const DEFAULT_BIND: &str = "127.0.0.1:3000";

/// Installs a `tracing` subscriber that prints to stderr, filtered by `RUST_LOG`
/// (default `info`). Without one, the library's logs, server faults included, go nowhere.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Binds `address`: a socket address (`127.0.0.1:3000`, `[::1]:3000`) or a host name and
/// port (`localhost:3001`), resolved. Fails with the address and the reason.
pub async fn bind(address: &str) -> Result<TcpListener, String> {
    TcpListener::bind(address)
        .await
        .map_err(|e| format!("cannot listen on `{address}` (setting `BIND`): {e}"))
}

/// Binds `BIND`, or [`DEFAULT_BIND`].
pub async fn bind_from_env() -> Result<TcpListener, String> {
    let address = std::env::var("BIND").unwrap_or_else(|_| DEFAULT_BIND.to_owned());
    bind(&address).await
}

/// Logs one line per request at `info`: method, path, status and time taken.
pub fn log_requests(app: Router) -> Router {
    app.layer(axum::middleware::from_fn(log_request))
}

async fn log_request(request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let start = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        "{method} {path} {} {:.1?}",
        response.status().as_u16(),
        start.elapsed()
    );
    response
}

/// The limits a server in production needs, whatever authenticates its routes.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a client may take to send its request line and headers (slow-loris
    /// clients holding connections open): the connection is closed after it.
    pub header_read_timeout: Duration,
    /// How long a request may take, handler included: 408 after it.
    pub request_timeout: Duration,
    /// The largest request body read: 413 beyond it.
    pub body_limit: usize,
}

impl Default for Limits {
    /// 10 s to send the headers, 30 s per request, 64 KiB of body: every example's
    /// bodies are small JSON or forms.
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            body_limit: 64 * 1024,
        }
    }
}

/// Serves `app` on `listener` with the default [`Limits`], logging each request, until
/// the process is stopped.
pub async fn serve(listener: TcpListener, app: Router) -> Result<(), String> {
    serve_with(listener, app, Limits::default()).await
}

/// [`serve`] with these `limits`.
pub async fn serve_with(listener: TcpListener, app: Router, limits: Limits) -> Result<(), String> {
    let timeout = limits.request_timeout;
    let app = log_requests(app)
        .layer(DefaultBodyLimit::max(limits.body_limit))
        .layer(axum::middleware::from_fn(
            move |request: Request, next: Next| within(timeout, request, next),
        ));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors and the like: wait a moment rather than spin.
                tracing::warn!("cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            if let Err(e) = connection.await {
                tracing::debug!("connection ended: {e}");
            }
        });
    }
}

async fn within(limit: Duration, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

/// The exit of an example's `main`: a failure prints its `Display` text (a `main` that
/// returns `Result` would print the `Debug` form).
pub fn exit(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Reads a variable of the process environment.
pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// A builder from the `AUTH_*` variables `lookup` reads, with `defaults` for the ones it
/// does not set (an example's own issuer, algorithm or lifetime).
pub fn builder_from_env(
    lookup: impl Fn(&str) -> Option<String>,
    defaults: &[(&str, &str)],
) -> Result<AuthManagerBuilder, ConfigError> {
    AuthManagerBuilder::from_env_with(|name| {
        lookup(name).or_else(|| {
            defaults
                .iter()
                .find(|(var, _)| *var == name)
                .map(|(_, value)| (*value).to_owned())
        })
    })
}

/// What an example's `main` does: install logging, build its manager, bind `BIND`, print
/// `banner` (the address first), serve `app` until stopped, and print a failure's
/// `Display` text.
pub async fn run_example(
    manager: impl FnOnce() -> Result<AuthManager, ConfigError>,
    app: impl FnOnce(AuthManager) -> Router,
    banner: impl FnOnce(SocketAddr, &AuthManager) -> String,
) -> ExitCode {
    exit(
        async {
            init_logging();
            let manager = manager().map_err(|e| e.to_string())?;
            let listener = bind_from_env().await?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            println!("{}", banner(addr, &manager));
            serve(listener, app(manager)).await
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn host_names_are_resolved_and_a_busy_port_names_the_setting() {
        let listener = bind("localhost:0").await.expect("localhost resolves");
        let addr = listener.local_addr().unwrap();
        let busy = bind(&addr.to_string()).await.expect_err("port in use");
        assert!(busy.contains("setting `BIND`"), "{busy}");
        assert!(bind("not an address").await.is_err());
    }
}
