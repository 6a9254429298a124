//! The body every refusal carries, described for both OpenAPI generators.

use serde::Serialize;

/// The JSON body of every refusal: `{"error": "<code>", "message": "<text>"}`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "aide", derive(schemars::JsonSchema))]
pub struct AuthErrorBody {
    /// The RFC 6750 code (`invalid_token`, `insufficient_scope`, `invalid_request`) or this
    /// library's own (`missing_token`, `forbidden`, `csrf_rejected`, `server_error`,
    /// `temporarily_unavailable`).
    pub error: String,
    /// A fixed sentence per status; never says which check failed.
    pub message: String,
}
