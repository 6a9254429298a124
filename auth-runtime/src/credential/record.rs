//! What an opaque token stands for: a [`TokenRecord`], loaded by the store or by the
//! application's [`LoadToken`], and turned into a [`CurrentToken`].

use std::{future::Future, pin::Pin, sync::Arc};

use aws_lc_rs::digest::{SHA256, digest};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::{
    error::AuthError,
    store::{StoreError, now},
    token::{Credential, CurrentToken, REGISTERED_CLAIMS, TokenKind, Verified},
};

/// An opaque token as a request presented it, for a [`LoadToken`] to look up.
#[derive(Clone, Copy)]
pub struct Presented<'a> {
    token: &'a str,
    kind: TokenKind,
}

impl<'a> Presented<'a> {
    pub(crate) fn new(token: &'a str, kind: TokenKind) -> Self {
        Self { token, kind }
    }

    /// The token as it arrived. A secret: look it up, never log it. Prefer keeping
    /// [`digest`](Self::digest)s rather than tokens in your database.
    pub fn token(&self) -> &'a str {
        self.token
    }

    /// The kind of token the route expects (flask-stateless-auth's `token_type`).
    pub fn kind(&self) -> TokenKind {
        self.kind
    }

    /// The SHA-256 of the token: what to store and look up instead of the token.
    pub fn digest(&self) -> [u8; 32] {
        sha256(self.token.as_bytes())
    }
}

impl std::fmt::Debug for Presented<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Presented")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest(&SHA256, bytes).as_ref());
    out
}

/// What an opaque token stands for: its subject and kind, when it expires, its scope and
/// claims. Every requirement of `#[require_token]` reads these as it reads a JWT's
/// claims.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRecord {
    /// The subject (`sub`): who the token is for. Never empty.
    pub subject: String,
    /// Auth or refresh (the `type` claim).
    pub kind: TokenKind,
    /// When the token expires, in seconds since the Unix epoch (`exp`).
    pub expires_at: u64,
    /// The `scope` claim, if any: a map, a space-delimited string or an array.
    pub scope: Option<Value>,
    /// Custom claims. Registered names (`sub`, `type`, `exp`, `scope`...) are ignored:
    /// the fields above set them.
    pub claims: Map<String, Value>,
}

impl TokenRecord {
    /// A record for `subject`, of `kind`, expiring at `expires_at`, without scope or
    /// claims.
    pub fn new(subject: impl Into<String>, kind: TokenKind, expires_at: u64) -> Self {
        Self {
            subject: subject.into(),
            kind,
            expires_at,
            scope: None,
            claims: Map::new(),
        }
    }

    /// With this `scope` claim. A value that is not JSON is left out.
    #[must_use]
    pub fn scope(mut self, scope: impl Serialize) -> Self {
        self.scope = serde_json::to_value(scope).ok();
        self
    }

    /// With this custom claim. A value that is not JSON is left out.
    #[must_use]
    pub fn claim(mut self, name: impl Into<String>, value: impl Serialize) -> Self {
        if let Ok(value) = serde_json::to_value(value) {
            self.claims.insert(name.into(), value);
        }
        self
    }

    /// The record as a claims set, registered claims from the fields.
    fn into_claims(self) -> Map<String, Value> {
        let mut claims: Map<String, Value> = self
            .claims
            .into_iter()
            .filter(|(name, _)| !REGISTERED_CLAIMS.contains(&name.as_str()))
            .collect();
        claims.insert("sub".into(), self.subject.into());
        claims.insert("type".into(), self.kind.as_str().into());
        claims.insert("exp".into(), self.expires_at.into());
        if let Some(scope) = self.scope {
            claims.insert("scope".into(), scope);
        }
        claims
    }
}

/// Loads the record of an opaque token: flask-stateless-auth's `token_loader`, for an
/// application that keeps its tokens itself (or the introspection client).
///
/// Answer `Ok(None)` for a token you do not know (401); an `Err` is a store that could
/// not answer (503), never a refusal.
///
/// ```
/// use auth_runtime::{TokenKind, credential::{LoadToken, Presented, TokenRecord}};
/// use auth_runtime::store::StoreError;
///
/// struct Tokens;
///
/// impl LoadToken for Tokens {
///     async fn load(&self, presented: &Presented<'_>) -> Result<Option<TokenRecord>, StoreError> {
///         // Look the digest up in your database; here, one known token.
///         let known = presented.token() == "first_user_access_token"
///             && presented.kind() == TokenKind::Auth;
///         Ok(known.then(|| TokenRecord::new("1", TokenKind::Auth, u64::MAX / 2)))
///     }
/// }
/// ```
pub trait LoadToken: Send + Sync + 'static {
    /// The record of `presented`, `None` when it stands for nothing.
    fn load(
        &self,
        presented: &Presented<'_>,
    ) -> impl Future<Output = Result<Option<TokenRecord>, StoreError>> + Send;
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

trait DynLoadToken: Send + Sync {
    fn load<'a>(
        &'a self,
        presented: &'a Presented<'a>,
    ) -> BoxFuture<'a, Result<Option<TokenRecord>, StoreError>>;
}

impl<T: LoadToken> DynLoadToken for T {
    fn load<'a>(
        &'a self,
        presented: &'a Presented<'a>,
    ) -> BoxFuture<'a, Result<Option<TokenRecord>, StoreError>> {
        Box::pin(LoadToken::load(self, presented))
    }
}

/// The application's [`LoadToken`], as the manager holds it.
#[derive(Clone)]
pub(crate) struct TokenLoader(Arc<dyn DynLoadToken>);

impl TokenLoader {
    pub(crate) fn new(loader: impl LoadToken) -> Self {
        Self(Arc::new(loader))
    }

    /// The token `presented` stands for, or why not.
    pub(crate) async fn load(&self, presented: Presented<'_>) -> Result<CurrentToken, AuthError> {
        let record = self
            .0
            .load(&presented)
            .await
            .map_err(AuthError::StoreUnavailable)?
            .ok_or(AuthError::UnknownCredential)?;
        // An empty subject is refused there, as for every credential.
        claims_to_token(
            presented.token,
            Credential::Opaque,
            None,
            record.into_claims(),
        )
    }
}

/// A credential's claims (as a store keeps them, or from a [`TokenRecord`]) as the
/// verified token handlers see: refused when expired or without a subject or kind.
pub(crate) fn claims_to_token(
    presented: &str,
    credential: Credential,
    key_id: Option<String>,
    claims: Map<String, Value>,
) -> Result<CurrentToken, AuthError> {
    let kind = claims
        .get("type")
        .and_then(Value::as_str)
        .and_then(TokenKind::from_claim)
        .ok_or(AuthError::UnknownCredential)?;
    let expires_at = claims
        .get("exp")
        .and_then(Value::as_u64)
        .ok_or(AuthError::UnknownCredential)?;
    if expires_at < now() {
        return Err(AuthError::Expired);
    }
    if claims
        .get("sub")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(AuthError::UnknownCredential);
    }
    let issued_at = claims.get("iat").and_then(Value::as_u64).unwrap_or(0);
    Ok(CurrentToken::new(Verified {
        signed: presented.into(),
        kind,
        claims,
        expires_at,
        issued_at,
        credential,
        algorithm: None,
        kid: key_id,
    }))
}
