//! OpenAPI from the same declaration: the spec says what the guards enforce, through
//! utoipa 5 (feature `utoipa`) or aide 0.15 (feature `aide`).
//!
//! # utoipa
//!
//! Put `#[require_token]` **above** `#[utoipa::path(...)]`: the attribute then adds to
//! that operation its security requirement (one per location the route reads: `bearer`,
//! `cookie`, `query`, with the route's scope names; the empty requirement first on an
//! `optional` route) unless you wrote `security(...)` yourself, and merges into your
//! `responses(...)` the refusals it can answer (401; 403 when it checks claims or reads a
//! cookie; 400 when it reads several locations; 503 when the token store is down), each
//! unless you documented that status already. Register the schemes once with
//! [`SecuritySchemes`]:
//!
//! ```
//! # #[cfg(feature = "utoipa")] {
//! use auth_runtime::{openapi::SecuritySchemes, require_token};
//! use utoipa::OpenApi;
//!
//! #[require_token(scope("users:read"))]
//! #[utoipa::path(get, path = "/users", responses((status = 200, body = String)))]
//! async fn users() -> String { "alice".into() }
//!
//! #[derive(OpenApi)]
//! #[openapi(paths(users), modifiers(&SecuritySchemes))]
//! struct Api;
//!
//! let spec = serde_json::to_value(Api::openapi()).unwrap();
//! assert_eq!(spec["paths"]["/users"]["get"]["security"][0]["bearer"][0], "users:read");
//! assert!(spec["paths"]["/users"]["get"]["responses"]["401"].is_object());
//! # }
//! ```
//!
//! With `#[utoipa::path]` above `#[require_token]`, utoipa has read the handler before the
//! guard exists, and nothing is added.
//!
//! # aide
//!
//! The guard `#[require_token]` puts first in the handler's arguments documents itself:
//! register the handler with `aide::axum::ApiRouter` as any other, and its operation gets
//! the same security requirement and refusals: the `openapi::aide` module has the details.

mod body;
#[cfg(feature = "utoipa")]
mod utoipa;

#[cfg(feature = "aide")]
pub mod aide;

pub use self::body::AuthErrorBody;
#[cfg(feature = "utoipa")]
pub use self::utoipa::SecuritySchemes;
