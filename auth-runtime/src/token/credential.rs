//! The kinds of credential a route can accept: a signed JWT (the default), an opaque
//! bearer token that only a store or an introspection endpoint can vouch for, or an API
//! key.

use std::fmt;

/// What a request presented, as a route declares it
/// (`#[require_token(credential = "api_key")]`) and as [`CurrentToken::credential`]
/// reports it.
///
/// [`CurrentToken::credential`]: crate::CurrentToken::credential
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Credential {
    /// A JWT signed by a trusted key (`"jwt"`): the default.
    Jwt,
    /// An opaque bearer token (`"opaque"`): random text that the manager's token loader
    /// turns into a record (the store, the application's own loader, or an RFC 7662
    /// introspection endpoint).
    Opaque,
    /// An API key (`"api_key"`) in its own header (`X-API-Key` by default): an id and a
    /// secret, checked against the store.
    ApiKey,
}

impl Credential {
    /// The name used in `#[require_token(credential = "...")]`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Jwt => "jwt",
            Self::Opaque => "opaque",
            Self::ApiKey => "api_key",
        }
    }

    /// Whether it travels as a bearer token (header, cookie or query), as JWTs and opaque
    /// tokens do; API keys have a header of their own.
    pub const fn is_bearer(self) -> bool {
        !matches!(self, Self::ApiKey)
    }
}

impl fmt::Display for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
