//! OpenAPI through utoipa 5 (feature `utoipa`): the spec says what the guards enforce.
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
//! ```
//!
//! With `#[utoipa::path]` above `#[require_token]`, utoipa has read the handler before the
//! guard exists, and nothing is added.

use serde::Serialize;
use utoipa::{
    Modify, ToSchema,
    openapi::{
        OpenApi,
        security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};

/// The JSON body of every refusal: `{"error": "<code>", "message": "<text>"}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuthErrorBody {
    /// The RFC 6750 code (`invalid_token`, `insufficient_scope`, `invalid_request`) or this
    /// library's own (`missing_token`, `forbidden`, `csrf_rejected`, `server_error`,
    /// `temporarily_unavailable`).
    pub error: String,
    /// A fixed sentence per status; never says which check failed.
    pub message: String,
}

/// Registers the security schemes the guards' requirements name: `bearer` (HTTP bearer,
/// JWT), `cookie` (the `auth_token` cookie) and `query` (the `access_token` parameter).
/// Use it in `#[openapi(modifiers(&SecuritySchemes))]`; with other cookie or parameter
/// names, register your own schemes under the same three names.
#[derive(Debug, Clone, Copy, Default)]
pub struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("auth_token"))),
        );
        components.add_security_scheme(
            "query",
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::new("access_token"))),
        );
    }
}
