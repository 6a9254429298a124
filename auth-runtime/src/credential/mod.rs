//! Credentials other than JWTs: opaque bearer tokens (flask-stateless-auth's model) and
//! API keys (nsj-flask-auth's `X-API-Key`), and with feature `introspection` a client for
//! an RFC 7662 introspection endpoint that vouches for opaque tokens.
//!
//! Each becomes a [`CurrentToken`](crate::CurrentToken) whose claims (`sub`, `type`, `scope`, `exp`, custom
//! claims) read as a JWT's would, so every requirement of `#[require_token]` applies to
//! it unchanged. A route declares what it accepts (`credential = "opaque"`,
//! `credential = ["api_key", "jwt"]`); the default stays a JWT auth token.
//!
//! - **Opaque tokens** are 256 random bits. The manager issues them into its store
//!   ([`AuthManager::login_opaque`](crate::AuthManager::login_opaque)), keyed by their
//!   SHA-256 digest: the token itself is never stored. Refresh, rotation, reuse detection
//!   and logout work as for JWTs. An application with tokens of its own implements
//!   [`LoadToken`] instead (flask-stateless-auth's `token_loader`).
//! - **API keys** are `ak_<id>_<secret>`: the id is looked up, the secret's digest
//!   compared in constant time. A key of the wrong shape is refused before any store
//!   call.
//! - **Introspection** (feature `introspection`): `introspection::Introspector` asks an
//!   authorization server (RFC 7662) about each opaque token, and caches its answers.
//!
//! May use: `token`, `store`, `error`, `config::ConfigError`. Never `manager`, `policy`
//! or `request`.

mod api_key;
#[cfg(feature = "introspection")]
pub mod introspection;
mod opaque;
mod record;

pub use self::{
    api_key::ApiKey,
    record::{LoadToken, Presented, TokenRecord},
};
pub(crate) use self::{
    api_key::{ApiKeyText, stored_api_key},
    opaque::{looks_like_jwt, new_opaque_token, opaque_key, shaped_as_opaque},
    record::{TokenLoader, claims_to_token},
};
