//! Request-time errors: why a request was refused, and the status each one answers.
//!
//! Every variant maps to one RFC 6750 response (see [`AuthError::status`] and
//! [`AuthError::error_code`]). The JSON body names only the RFC 6750 code and a fixed
//! message: it never echoes the token and never says which check failed, so it is no
//! oracle for an attacker. The precise reason stays available to the application through
//! the variant itself, its [`Display`](std::fmt::Display) text and
//! [`source`](std::error::Error::source).
//!
//! May use: `token::TokenKind` and `store::StoreError` only. Every other module may use this one.

use std::{fmt, sync::Arc};

use axum::{http::StatusCode, response::Response};

use crate::{store::StoreError, token::TokenKind};

/// A function that shapes the response of a refused request (the Flask extensions'
/// `unauthorized_handler` / error-handler hook). It gets the error and the default
/// RFC 6750 response, and returns the response to send. Set it with
/// [`AuthManagerBuilder::on_error`](crate::AuthManagerBuilder::on_error).
pub type ErrorHandler = Arc<dyn Fn(&AuthError, Response) -> Response + Send + Sync>;

/// Why a request was refused by a guard.
///
/// Produced by the `#[require_token]` guard, the [`CurrentToken`](crate::CurrentToken)
/// extractor and [`AuthManager::verify`](crate::AuthManager::verify). Client mistakes are
/// 4xx; the two server faults ([`AuthError::NotConfigured`],
/// [`AuthError::MissingPathParameter`]) are 500 and a store or an identity provider that
/// cannot answer ([`AuthError::StoreUnavailable`], [`AuthError::KeysUnavailable`]) is
/// 503, all logged at `error`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum AuthError {
    /// The request carries no token in any location the route reads.
    /// 401 with a bare `WWW-Authenticate: Bearer` (RFC 6750 §3.1: no error code).
    MissingToken,
    /// The request carries more than one credential (two `Authorization` headers, a header
    /// and a cookie, a repeated query parameter...). 400 `invalid_request` (RFC 6750 §2).
    MultipleTokens,
    /// The credential is present but not well formed: wrong spacing after the scheme, an
    /// empty token, characters outside the token alphabet. 401 `invalid_token`.
    MalformedCredentials,
    /// The token is longer than the configured limit (8 KiB by default) and was refused
    /// before decoding. 401 `invalid_token`.
    TokenTooLarge,
    /// The token's `exp` has passed (beyond the configured leeway). 401 `invalid_token`.
    Expired,
    /// The token's `nbf` or `iat` lies in the future (beyond the configured leeway).
    /// 401 `invalid_token`.
    NotYetValid,
    /// The token names a `kid` that is not among the configured keys, or names none where
    /// the keys have ids. 401 `invalid_token`.
    UnknownKey,
    /// jsonwebtoken refused the token: bad signature, wrong algorithm, bad encoding,
    /// wrong issuer or audience, malformed JSON, duplicate claims. The jsonwebtoken error
    /// is the [`source`](std::error::Error::source). 401 `invalid_token`.
    Rejected(jsonwebtoken::errors::Error),
    /// A claim is missing or has the wrong JSON type or value under this library's policy
    /// (the checks jsonwebtoken does not make: `sub` must be a non-empty string, `iat` a
    /// number, `type` `"auth"` or `"refresh"`, the lifetime within the maximum age...).
    /// 401 `invalid_token`.
    InvalidClaim {
        /// The claim that failed.
        claim: &'static str,
    },
    /// The token header carries a parameter this library refuses (`crit`), or a `typ`
    /// other than `JWT`. 401 `invalid_token`.
    UnsupportedHeader {
        /// The header parameter that was refused.
        parameter: &'static str,
    },
    /// The token is of the wrong kind for the route (a refresh token on an auth route, or
    /// the reverse). 401 `invalid_token`.
    WrongKind {
        /// The kind the route requires.
        expected: TokenKind,
        /// The kind the token carries.
        found: TokenKind,
    },
    /// The route requires a fresh token (minted at login) and this one came from a
    /// refresh. 401 `invalid_token`.
    NotFresh,
    /// The application's revocation check refused the token. 401 `invalid_token`.
    Revoked,
    /// A path binding or a `claims(...)` requirement does not hold. 403.
    ClaimMismatch,
    /// The token came from a cookie and the request, an unsafe method, comes from
    /// another origin (or, in double-submit mode, lacks the matching `X-CSRF-TOKEN`). 403
    /// `csrf_rejected`, with no `WWW-Authenticate`: the token is fine, the request's
    /// origin is not.
    CrossSiteRequest,
    /// A `scope(...)` requirement does not hold. 403 `insufficient_scope`.
    InsufficientScope,
    /// The token names no entity the application knows: another table, or an id that is
    /// not found ([`Entity`](crate::Entity)). 401 `invalid_token`.
    UnknownEntity,
    /// An opaque token or API key that the store (or the application's loader, or the
    /// introspection endpoint) does not know, no longer knows, or that has the wrong
    /// shape. 401 `invalid_token`.
    UnknownCredential,
    /// No [`AuthManager`](crate::AuthManager) is installed on the router. A server fault:
    /// 500, logged at `error` with the fix.
    NotConfigured,
    /// The route binds a claim to a path parameter that the matched route does not have.
    /// A server fault (fail closed): 500, logged at `error`.
    MissingPathParameter {
        /// The path parameter the requirement names.
        name: &'static str,
    },
    /// The token store (revocations, refresh families) could not answer within its
    /// budget, so nothing can be accepted or recorded. 503 `temporarily_unavailable` with
    /// `Retry-After`, logged at `error`; the store's error is the
    /// [`source`](std::error::Error::source).
    StoreUnavailable(StoreError),
    /// The token names an identity provider whose keys could not be fetched yet (it is
    /// down, or its key set is unusable), so the token cannot be checked. 503
    /// `temporarily_unavailable` with `Retry-After`, logged at `error`. Once keys have
    /// been fetched, an outage keeps the last ones verifying instead.
    KeysUnavailable,
}

impl AuthError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::MultipleTokens => StatusCode::BAD_REQUEST,
            Self::ClaimMismatch | Self::InsufficientScope | Self::CrossSiteRequest => {
                StatusCode::FORBIDDEN
            }
            Self::NotConfigured | Self::MissingPathParameter { .. } => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            Self::StoreUnavailable(_) | Self::KeysUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::UNAUTHORIZED,
        }
    }

    /// The RFC 6750 §3.1 error code, where one applies: `invalid_request`,
    /// `invalid_token` or `insufficient_scope`.
    pub fn error_code(&self) -> Option<&'static str> {
        match self {
            Self::MissingToken
            | Self::ClaimMismatch
            | Self::CrossSiteRequest
            | Self::NotConfigured
            | Self::MissingPathParameter { .. }
            | Self::StoreUnavailable(_)
            | Self::KeysUnavailable => None,
            Self::MultipleTokens => Some("invalid_request"),
            Self::InsufficientScope => Some("insufficient_scope"),
            _ => Some("invalid_token"),
        }
    }

    /// Whether this is the server's fault (a 500), rather than the client's.
    pub fn is_server_fault(&self) -> bool {
        self.status().is_server_error()
    }

    /// The `error` member of the JSON body: the RFC 6750 code where there is one
    /// (`invalid_request`, `invalid_token`, `insufficient_scope`), otherwise
    /// `missing_token` (401 without a token), `forbidden` (403 on a path binding or
    /// `claims(...)`), `csrf_rejected` (403 on a cross-site request with a cookie token),
    /// `server_error` (500) or `temporarily_unavailable` (503).
    pub fn body_code(&self) -> &'static str {
        match self {
            Self::MissingToken => "missing_token",
            Self::ClaimMismatch => "forbidden",
            Self::CrossSiteRequest => "csrf_rejected",
            Self::NotConfigured | Self::MissingPathParameter { .. } => "server_error",
            Self::StoreUnavailable(_) | Self::KeysUnavailable => "temporarily_unavailable",
            other => other.error_code().unwrap_or("invalid_token"),
        }
    }

    /// The `message` member of the JSON body: fixed per status, so it reveals nothing
    /// about which check failed.
    pub fn public_message(&self) -> &'static str {
        match self {
            Self::MissingToken => "this route requires a bearer token",
            Self::MultipleTokens => "send exactly one token, in one place",
            Self::ClaimMismatch => "the token does not grant access to this resource",
            Self::InsufficientScope => "the token does not carry the scope this route requires",
            Self::CrossSiteRequest => "cross-site request refused",
            Self::NotConfigured | Self::MissingPathParameter { .. } => "internal server error",
            Self::StoreUnavailable(_) | Self::KeysUnavailable => {
                "authentication is temporarily unavailable; retry shortly"
            }
            _ => "the token is invalid or expired",
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingToken => f.write_str("no token in the request"),
            Self::MultipleTokens => f.write_str("more than one token in the request"),
            Self::MalformedCredentials => f.write_str("malformed credentials"),
            Self::TokenTooLarge => f.write_str("token longer than the configured limit"),
            Self::Expired => f.write_str("token expired"),
            Self::NotYetValid => f.write_str("token not valid yet (`nbf` or `iat` in the future)"),
            Self::UnknownKey => f.write_str("token names no configured key (`kid`)"),
            Self::Rejected(e) => write!(f, "token rejected: {}", rejection(e)),
            Self::InvalidClaim { claim } => write!(f, "claim `{claim}` missing or invalid"),
            Self::UnsupportedHeader { parameter } => {
                write!(f, "header parameter `{parameter}` refused")
            }
            Self::WrongKind { expected, found } => {
                write!(f, "expected {}, found {}", a(*expected), a(*found))
            }
            Self::NotFresh => f.write_str("route requires a fresh token"),
            Self::Revoked => f.write_str("token revoked"),
            Self::UnknownEntity => f.write_str("token names no known entity"),
            Self::UnknownCredential => f.write_str("unknown opaque token or API key"),
            Self::ClaimMismatch => f.write_str("claim requirements not met"),
            Self::CrossSiteRequest => f.write_str(
                "cross-site request with a cookie token refused (CSRF protection); trust its \
                 origin with `trusted_origins` if it is yours",
            ),
            Self::InsufficientScope => f.write_str("scope requirements not met"),
            Self::NotConfigured => f.write_str(
                "no AuthManager on this router: add `.layer(axum::Extension(manager))` \
                 to the Router that serves guarded routes",
            ),
            Self::MissingPathParameter { name } => write!(
                f,
                "the requirement binds path parameter `{name}`, which the matched route does not have"
            ),
            Self::StoreUnavailable(e) => write!(f, "{e}"),
            Self::KeysUnavailable => {
                f.write_str("the keys of the token's identity provider could not be fetched yet")
            }
        }
    }
}

/// "an auth token", "a refresh token".
fn a(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Auth => "an auth token",
        TokenKind::Refresh => "a refresh token",
    }
}

/// What jsonwebtoken refused, in words (its own `Display` prints some kinds as `Debug`).
fn rejection(error: &jsonwebtoken::errors::Error) -> String {
    use jsonwebtoken::errors::ErrorKind::*;
    match error.kind() {
        InvalidToken => "not a well-formed JWT".to_owned(),
        InvalidSignature => "bad signature".to_owned(),
        InvalidAlgorithm => "the algorithm does not match the key".to_owned(),
        InvalidIssuer => "wrong issuer (`iss`)".to_owned(),
        InvalidAudience => "wrong audience (`aud`)".to_owned(),
        InvalidSubject => "wrong subject (`sub`)".to_owned(),
        ExpiredSignature => "expired".to_owned(),
        ImmatureSignature => "not valid yet (`nbf`)".to_owned(),
        MissingRequiredClaim(claim) => format!("claim `{claim}` missing"),
        InvalidClaimFormat(claim) => format!("claim `{claim}` has the wrong type"),
        Base64(e) => format!("bad base64url ({e})"),
        Json(e) => format!("bad JSON ({e})"),
        Utf8(e) => format!("bad UTF-8 ({e})"),
        _ => error.to_string(),
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Rejected(e) => Some(e),
            Self::StoreUnavailable(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_rfc_6750() {
        assert_eq!(AuthError::MissingToken.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(AuthError::MissingToken.error_code(), None);
        assert_eq!(AuthError::MultipleTokens.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            AuthError::MultipleTokens.error_code(),
            Some("invalid_request")
        );
        assert_eq!(AuthError::Expired.error_code(), Some("invalid_token"));
        assert_eq!(AuthError::ClaimMismatch.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            AuthError::InsufficientScope.error_code(),
            Some("insufficient_scope")
        );
        assert!(AuthError::NotConfigured.is_server_fault());
        assert!(!AuthError::Revoked.is_server_fault());
        let down = AuthError::StoreUnavailable(StoreError::Timeout);
        assert_eq!(down.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(down.error_code(), None);
        assert!(down.is_server_fault());
    }

    #[test]
    fn display_texts_read_as_sentences() {
        let rejected = AuthError::Rejected(jsonwebtoken::errors::ErrorKind::InvalidToken.into());
        assert_eq!(
            rejected.to_string(),
            "token rejected: not a well-formed JWT"
        );
        let signature =
            AuthError::Rejected(jsonwebtoken::errors::ErrorKind::InvalidSignature.into());
        assert_eq!(signature.to_string(), "token rejected: bad signature");
        let kind = AuthError::WrongKind {
            expected: TokenKind::Auth,
            found: TokenKind::Refresh,
        };
        assert_eq!(
            kind.to_string(),
            "expected an auth token, found a refresh token"
        );
    }

    #[test]
    fn errors_are_clone_and_keep_their_source() {
        let error = AuthError::Rejected(jsonwebtoken::errors::ErrorKind::InvalidSignature.into());
        let copy = error.clone();
        assert_eq!(copy.to_string(), error.to_string());
        assert!(std::error::Error::source(&copy).is_some());
    }

    #[test]
    fn public_messages_do_not_tell_expired_from_forged() {
        assert_eq!(
            AuthError::Expired.public_message(),
            AuthError::UnknownKey.public_message()
        );
        assert_eq!(
            AuthError::Expired.body_code(),
            AuthError::Revoked.body_code()
        );
    }
}
