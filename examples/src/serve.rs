//! What every example server shares: the `BIND` address and serving a router on it.

use std::net::SocketAddr;

/// The address to listen on: `BIND`, or `127.0.0.1:3000`.
pub fn bind_address() -> Result<SocketAddr, String> {
    let value = std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    value.parse().map_err(|_| {
        format!("invalid setting `BIND`: `{value}` is not an address such as 127.0.0.1:3000")
    })
}

/// Serves `app` on `BIND` until the process is stopped.
pub async fn serve(app: axum::Router) -> Result<(), String> {
    let addr = bind_address()?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}
