#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

// The crate is laid out by idea (ARCHITECTURE.md at the repository root has the map):
// `token` (what a token is, keys, issuing, verification), `policy` (what a route
// requires and the matching algebra), `config` (the builder and the environment),
// `store` (revocations and refresh families, memory or Redis), `manager` (the façade
// that holds them, and the sessions), `request` (the guard, the layer, the
// extractors, the responses), and `error` (why a request was refused).

extern crate self as auth_runtime;

pub mod config;
mod error;
mod manager;
#[cfg(feature = "utoipa")]
pub mod openapi;
mod policy;
mod request;
pub mod store;
mod token;

pub use auth_macros::require_token;

pub use crate::{
    config::{AuthManagerBuilder, ConfigError},
    error::AuthError,
    manager::{AuthManager, SessionError, TokenPair},
    policy::{csrf::CsrfProtection, matching, requirement, requirement::Requirement},
    request::{
        guard::{Guard, RequirementSpec, authorize},
        layer::{self, RequireTokenLayer},
        redirect::{self, RedirectToLogin, local_path},
        response::AuthRejection,
        user::{CurrentUser, LoadUser},
    },
    token::{
        CurrentToken, IssueError, Key, REGISTERED_CLAIMS, TokenBuilder, TokenKind, TokenLocation,
    },
};
pub use jsonwebtoken::Algorithm;

/// What `#[require_token]` expands to. Not a public API: it changes with the macro.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "utoipa")]
    pub use crate::openapi::AuthErrorBody;
    pub use crate::{
        Guard, RequirementSpec, TokenKind, TokenLocation,
        requirement::{Entry, Expected, PathBinding, Requirement},
    };
}
