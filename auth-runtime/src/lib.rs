#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

// The crate is laid out by idea (ARCHITECTURE.md at the repository root has the map):
// `token` (what a token is, keys, issuing, verification), `policy` (what a route
// requires and the matching algebra), `config` (the builder and the environment),
// `store` (revocations and refresh families, memory or Redis), `manager` (the façade
// that holds them, and the sessions), `request` (the guard, the layer, the
// extractors, the responses, deny-by-default routing), `error` (why a request was
// refused), and `testing` (helpers for the application's tests, feature `testing`).

extern crate self as auth_runtime;

pub mod config;
pub mod credential;
mod error;
mod manager;
#[cfg(any(feature = "utoipa", feature = "aide"))]
pub mod openapi;
mod policy;
mod request;
pub mod store;
#[cfg(feature = "testing")]
pub mod testing;
mod token;

pub use auth_macros::{public, require_token, vocabulary};

/// Key sets (RFC 7517): publishing this service's public keys at
/// `/.well-known/jwks.json` ([`routes`](jwks::routes)), and, with the `jwks` feature,
/// trusting identity providers whose keys are fetched from their JWKS or OpenID Connect
/// discovery ([`Provider`](jwks::Provider)).
pub mod jwks {
    #[cfg(feature = "jwks")]
    pub use crate::token::jwks::{
        DEFAULT_MAX_AGE, DEFAULT_MAX_DOCUMENT_BYTES, DEFAULT_REFRESH_COOLDOWN, DEFAULT_TIMEOUT,
        Provider,
    };
    pub use crate::{
        request::jwks::{JWKS_MAX_AGE, JWKS_PATH, routes},
        token::TokenKindRule,
    };
}

pub use crate::{
    config::{AuthManagerBuilder, ConfigError},
    error::AuthError,
    manager::{AuthManager, SessionError, TokenPair},
    policy::{csrf::CsrfProtection, matching, requirement, requirement::Requirement},
    request::{
        declared::{Declared, Public},
        entity::{Entity, EntityModel, TABLE_CLAIM},
        guard::{Guard, RequirementSpec, authorize},
        layer::{self, RequireTokenLayer},
        protect::ProtectAllLayer,
        redirect::{self, RedirectToLogin, local_path},
        response::AuthRejection,
        routing,
        user::{CurrentUser, LoadUser},
    },
    token::{
        Claim, ClaimType, Credential, CurrentToken, IssueError, Key, REGISTERED_CLAIMS,
        TokenBuilder, TokenKind, TokenLocation, Vocabulary, VocabularyError,
    },
};
pub use jsonwebtoken::Algorithm;

/// What `#[require_token]` expands to. Not a public API: it changes with the macro.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "utoipa")]
    pub use crate::openapi::AuthErrorBody;
    pub use crate::{
        Credential, Guard, Public, RequirementSpec, TokenKind, TokenLocation,
        requirement::{Entry, Expected, PathBinding, Requirement},
    };

    /// The compile-time checks of a route's names against the vocabulary in scope.
    pub mod vocabulary {
        pub use crate::token::vocabulary::{
            check::{Found, Group, InScope, NONE, binding, key, scope, value},
            text::Message,
        };
    }
}
