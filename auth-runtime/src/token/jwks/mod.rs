//! Key sets (RFC 7517): publishing this service's public keys, and (feature `jwks`)
//! consuming an identity provider's.
//!
//! - `publish`: [`Key::public_jwk`](crate::Key::public_jwk) and the document served at
//!   `/.well-known/jwks.json`. An HMAC key is never published.
//! - `provider`: [`Provider`], what the builder is told about a trusted identity provider.
//! - `keyset`: a fetched document turned into verifiers, refusing every key that does not
//!   fit (`oct`, `use: enc`, an `alg` that does not match the key, weak RSA...).
//! - `fetch`: the HTTP client (timeouts, a size limit, no redirects) and OIDC discovery.
//! - `remote`: the keys of one provider, read without a lock, refreshed on an unknown
//!   `kid` (single-flight, at most once per cooldown) and when stale.

pub(crate) mod publish;

#[cfg(feature = "jwks")]
mod fetch;
#[cfg(feature = "jwks")]
mod keyset;
#[cfg(feature = "jwks")]
mod provider;
#[cfg(feature = "jwks")]
mod remote;

#[cfg(feature = "jwks")]
pub use self::provider::{
    DEFAULT_MAX_AGE, DEFAULT_MAX_DOCUMENT_BYTES, DEFAULT_REFRESH_COOLDOWN, DEFAULT_TIMEOUT,
    Provider,
};
#[cfg(feature = "jwks")]
pub(crate) use self::{fetch::check_url, remote::RemoteKeys};
