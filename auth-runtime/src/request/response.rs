//! How a refused request is answered: RFC 6750 by default, shaped by the application
//! through [`AuthManagerBuilder::on_error`](crate::AuthManagerBuilder::on_error), which
//! starts from the default response.

use axum::{
    Json,
    http::{
        HeaderValue,
        header::{CACHE_CONTROL, RETRY_AFTER, WWW_AUTHENTICATE},
    },
    response::{IntoResponse, Response},
};

use crate::error::{AuthError, ErrorHandler};

/// The default answer: the status of [`AuthError::status`], `WWW-Authenticate: Bearer`
/// with the RFC 6750 error code where there is one (a 503 carries `Retry-After: 1`
/// instead), `Cache-Control: no-store`, and a JSON
/// body `{"error": "...", "message": "..."}` that never echoes the token.
impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        let challenge = match (self.error_code(), self.status().as_u16()) {
            (Some(code), _) => Some(format!("Bearer error=\"{code}\"")),
            (None, 401) => Some("Bearer".to_owned()),
            (None, _) => None,
        };
        let body = serde_json::json!({
            "error": self.body_code(),
            "message": self.public_message(),
        });
        let mut response = (self.status(), Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(value) = challenge.and_then(|c| HeaderValue::try_from(c).ok()) {
            headers.insert(WWW_AUTHENTICATE, value);
        }
        if self.status() == axum::http::StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// The rejection of the guard and of [`CurrentToken`](crate::CurrentToken): the
/// [`AuthError`], answered through the manager's error handler when one is set.
///
/// The guard logged its decision already: client errors at `debug`, server faults at
/// `error`, never the token.
pub struct AuthRejection {
    error: AuthError,
    handler: Option<ErrorHandler>,
}

impl AuthRejection {
    pub(crate) fn new(error: AuthError, handler: Option<ErrorHandler>) -> Self {
        Self { error, handler }
    }

    /// Why the request was refused.
    pub fn error(&self) -> &AuthError {
        &self.error
    }

    /// The error, without the response handler.
    pub fn into_error(self) -> AuthError {
        self.error
    }
}

impl std::fmt::Debug for AuthRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthRejection")
            .field("error", &self.error)
            .field("custom_response", &self.handler.is_some())
            .finish()
    }
}

impl std::fmt::Display for AuthRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for AuthRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        let response = self.error.clone().into_response();
        match self.handler {
            Some(handler) => handler(&self.error, response),
            None => response,
        }
    }
}
