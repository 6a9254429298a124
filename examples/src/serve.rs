//! What every example server shares: logging, the `BIND` address, a one-line log per
//! request, and printing a failure's `Display` text.

use std::{net::SocketAddr, process::ExitCode, time::Instant};

use auth_runtime::{AuthManager, AuthManagerBuilder, ConfigError};
use axum::{Router, extract::Request, middleware::Next, response::Response};
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

/// Serves `app` on `listener`, logging each request, until the process is stopped.
pub async fn serve(listener: TcpListener, app: Router) -> Result<(), String> {
    axum::serve(listener, log_requests(app))
        .await
        .map_err(|e| e.to_string())
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
