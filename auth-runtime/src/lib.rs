#![doc = include_str!("../../README.md")]
#![forbid(unsafe_code)]

extern crate self as auth_runtime;

mod cache;
mod claims;
pub mod config;
mod cookie;
mod error;
mod guard;
mod issue;
mod keys;
pub mod layer;
mod location;
mod manager;
pub mod matching;
pub mod requirement;
mod response;
mod user;
mod verify;

pub use auth_macros::require_token;
pub use claims::{CurrentToken, TokenKind};
pub use config::{AuthManagerBuilder, ConfigError};
pub use error::AuthError;
pub use guard::{Guard, RequirementSpec, authorize};
pub use issue::{IssueError, REGISTERED_CLAIMS, TokenBuilder};
pub use jsonwebtoken::Algorithm;
pub use keys::Key;
pub use layer::RequireTokenLayer;
pub use location::TokenLocation;
pub use manager::AuthManager;
pub use requirement::Requirement;
pub use response::AuthRejection;
pub use user::{CurrentUser, LoadUser};

/// What `#[require_token]` expands to. Not a public API: it changes with the macro.
#[doc(hidden)]
pub mod __private {
    pub use crate::{
        Guard, RequirementSpec, TokenKind, TokenLocation,
        requirement::{Entry, Expected, PathBinding, Requirement},
    };
}
