//! Tokens: what a token is ([`CurrentToken`], [`TokenKind`]), the keys that sign and
//! verify it ([`Key`]), issuing ([`TokenBuilder`]), verification and its cache, where a
//! request carries a token ([`TokenLocation`]), the cookie that carries one, and the
//! names tokens use ([`Vocabulary`]).
//!
//! Nothing here knows about routes or handlers: the policy of a route lives in
//! [`policy`](crate::policy), the extractors in `request`.
//!
//! May use: `error` (the refusal vocabulary) and `config::ConfigError` (key and name
//! errors at start-up). Never `manager`, `policy` or `request`.

mod cache;
mod claims;
pub(crate) mod cookie;
mod credential;
mod der;
mod header;
#[cfg(any(feature = "jwks", feature = "introspection"))]
pub(crate) mod http;
mod issue;
pub(crate) mod jwks;
mod key_file;
mod keys;
mod location;
mod signature;
mod trust;
mod verify;
pub(crate) mod vocabulary;

pub use self::{
    claims::{CurrentToken, TokenKind},
    credential::Credential,
    issue::{IssueError, REGISTERED_CLAIMS, TokenBuilder},
    keys::Key,
    location::TokenLocation,
    trust::TokenKindRule,
    verify::RevocationCheck,
    vocabulary::{Claim, ClaimType, Vocabulary, VocabularyError},
};
pub(crate) use self::{
    claims::{Lifetimes, Verified},
    issue::{Issuer, new_id},
    location::TokenSources,
    trust::Trust,
    verify::{Policy, Validator},
};
