//! Issuing: auth and refresh tokens in Flask_PyJWT's wire format, with a `jti` on every
//! token and registered claims that custom claims can never overwrite.
//!
//! Header `{"typ": "JWT", "alg", "kid"?}`; claims `iss`, `sub`, `iat`, `exp`, `type`,
//! `jti`, `aud` (when configured), `scope` (auth tokens, when given), `fresh: true` (auth
//! tokens minted at login), then the custom claims.

use std::fmt;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header, get_current_timestamp};
use serde::Serialize;
use serde_json::{Map, Value};

use super::{Key, Lifetimes, TokenKind, Vocabulary, VocabularyError, signature::canonical_ecdsa};

/// Claim names an application cannot set through [`TokenBuilder::claim`]: the library
/// sets them itself.
pub const REGISTERED_CLAIMS: &[&str] = &[
    "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "type", "scope", "fresh", "fam",
];

/// Why a token could not be issued.
#[derive(Debug)]
#[non_exhaustive]
pub enum IssueError {
    /// The manager has only verification keys.
    NoSigningKey,
    /// A custom claim used a registered name (see [`REGISTERED_CLAIMS`]).
    ReservedClaim(String),
    /// A custom claim or the scope could not be turned into JSON.
    Json(serde_json::Error),
    /// The scope is not an object, a string or an array, or was set on a refresh token.
    InvalidScope(&'static str),
    /// The subject is empty.
    EmptySubject,
    /// jsonwebtoken could not sign the token.
    Signing(jsonwebtoken::errors::Error),
    /// The system's random number generator failed (for the `jti`).
    Random(getrandom::Error),
    /// A scope name or custom claim is outside the vocabulary the token is issued with
    /// ([`TokenBuilder::vocabulary`]).
    Vocabulary(VocabularyError),
}

impl fmt::Display for IssueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSigningKey => f.write_str(
                "this AuthManager has no signing key (only verification keys); set `signing_key`",
            ),
            Self::ReservedClaim(name) => {
                write!(
                    f,
                    "`{name}` is a registered claim and cannot be set as a custom claim"
                )
            }
            Self::Json(e) => write!(f, "claim is not valid JSON: {e}"),
            Self::InvalidScope(why) => write!(f, "invalid scope: {why}"),
            Self::EmptySubject => f.write_str("the subject must not be empty"),
            Self::Signing(e) => write!(f, "cannot sign the token: {e}"),
            Self::Random(e) => write!(f, "no randomness for the token id: {e}"),
            Self::Vocabulary(e) => write!(f, "outside the vocabulary: {e}"),
        }
    }
}

impl std::error::Error for IssueError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Json(e) => Some(e),
            Self::Signing(e) => Some(e),
            Self::Random(e) => Some(e),
            Self::Vocabulary(e) => Some(e),
            _ => None,
        }
    }
}

/// A token being issued. Start with [`AuthManager::auth_token`](crate::AuthManager::auth_token)
/// or [`AuthManager::refresh_token`](crate::AuthManager::refresh_token), finish with
/// [`sign`](Self::sign).
///
/// ```
/// use auth_runtime::{Algorithm, AuthManager, Key};
/// use serde_json::json;
///
/// let manager = AuthManager::builder()
///     .issuer("my-service")
///     .signing_key(Key::hmac(Algorithm::HS256, "a-secret-of-at-least-thirty-two-bytes!")?)
///     .build()?;
/// let auth = manager
///     .auth_token("alice")
///     .scope(json!({"admin": true}))
///     .claim("team", "blue")
///     .fresh()
///     .sign()?;
/// let refresh = manager.refresh_token("alice").sign()?;
///
/// let token = manager.verify(&auth)?;
/// assert_eq!(token.sub(), "alice");
/// assert!(token.is_fresh());
/// assert_eq!(token.claim("team"), Some(&json!("blue")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub struct TokenBuilder<'a> {
    issuer: &'a Issuer,
    kind: TokenKind,
    subject: String,
    scope: Option<Result<Value, serde_json::Error>>,
    claims: Vec<(String, Result<Value, serde_json::Error>)>,
    fresh: bool,
    family: Option<String>,
    jti: Option<String>,
    /// `iat`, `exp` and `nbf` other than now, now + lifetime and none (for tests).
    times: Option<(u64, u64, Option<u64>)>,
    vocabulary: Option<&'a Vocabulary>,
}

/// What issuing needs: the claims every token carries and the key that signs.
pub(crate) struct Issuer {
    issuer: String,
    audience: Option<String>,
    lifetimes: Lifetimes,
    signer: Option<Signer>,
}

/// The signing half of a key.
struct Signer {
    algorithm: Algorithm,
    kid: Option<String>,
    encoding: EncodingKey,
}

impl Issuer {
    /// An issuer that signs with `key` (which must be able to sign) or, without one,
    /// refuses to issue.
    pub(crate) fn new(
        issuer: String,
        audience: Option<String>,
        lifetimes: Lifetimes,
        key: Option<&Key>,
    ) -> Self {
        let signer = key.and_then(|key| {
            Some(Signer {
                algorithm: key.algorithm,
                kid: key.kid.clone(),
                encoding: key.encoding.clone()?,
            })
        });
        Self {
            issuer,
            audience,
            lifetimes,
            signer,
        }
    }

    /// The algorithm tokens are signed with, if this issuer can sign.
    pub(crate) fn algorithm(&self) -> Option<Algorithm> {
        self.signer.as_ref().map(|s| s.algorithm)
    }

    /// Starts a token of `kind` for `subject`.
    pub(crate) fn token(&self, kind: TokenKind, subject: String) -> TokenBuilder<'_> {
        TokenBuilder {
            issuer: self,
            kind,
            subject,
            scope: None,
            claims: Vec::new(),
            fresh: false,
            family: None,
            jti: None,
            times: None,
            vocabulary: None,
        }
    }
}

impl<'a> TokenBuilder<'a> {
    /// The `scope` claim: a map (`{"admin": true}`), a space-delimited string
    /// (`"users:read users:write"`) or an array of names. Auth tokens only. An empty scope
    /// is omitted.
    pub fn scope(mut self, scope: impl Serialize) -> Self {
        self.scope = Some(serde_json::to_value(scope));
        self
    }

    /// A custom claim. Registered names ([`REGISTERED_CLAIMS`]) are refused by
    /// [`sign`](Self::sign), so a custom claim can never overwrite `exp`, `sub`, `type`...
    pub fn claim(mut self, name: impl Into<String>, value: impl Serialize) -> Self {
        self.claims.push((name.into(), serde_json::to_value(value)));
        self
    }

    /// Issues the token within `vocabulary`, the one its routes are checked against:
    /// [`sign`](Self::sign) refuses a scope name or a custom claim the vocabulary does not
    /// declare, or a claim whose value is not of its declared type, with
    /// [`IssueError::Vocabulary`].
    ///
    /// ```
    /// # use auth_runtime::{Algorithm, AuthManager, IssueError, Key, VocabularyError};
    /// auth_runtime::vocabulary! {
    ///     const VOCABULARY = { scopes: ["users:read"], claims: { level: i64 } };
    /// }
    ///
    /// # let manager = AuthManager::builder().issuer("svc")
    /// #     .signing_key(Key::hmac(Algorithm::HS256, "a-secret-of-at-least-thirty-two-bytes!")?).build()?;
    /// let refused = manager
    ///     .auth_token("alice")
    ///     .vocabulary(&VOCABULARY)
    ///     .scope("users:raed")
    ///     .sign();
    /// assert!(matches!(
    ///     refused,
    ///     Err(IssueError::Vocabulary(VocabularyError::UnknownScope { suggestion: Some("users:read"), .. }))
    /// ));
    /// let refused = manager.auth_token("alice").vocabulary(&VOCABULARY).claim("level", "3").sign();
    /// assert!(matches!(refused, Err(IssueError::Vocabulary(VocabularyError::WrongType { .. }))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn vocabulary(mut self, vocabulary: &'a Vocabulary) -> Self {
        self.vocabulary = Some(vocabulary);
        self
    }

    /// Marks the token as fresh: minted from a login, not from a refresh token. Routes
    /// with `#[require_token(fresh)]` accept only fresh tokens.
    pub fn fresh(mut self) -> Self {
        self.fresh = true;
        self
    }

    /// Puts the token in refresh family `id` (the `fam` claim): a logout or a detected
    /// refresh reuse revokes every token of the family.
    pub(crate) fn family(mut self, id: &str) -> Self {
        self.family = Some(id.to_owned());
        self
    }

    /// Gives the token this `jti` rather than a random one (a rotated refresh token).
    pub(crate) fn jti(mut self, jti: &str) -> Self {
        self.jti = Some(jti.to_owned());
        self
    }

    /// The subject the token is for.
    pub(crate) fn subject(&self) -> &str {
        &self.subject
    }

    /// The kind of token being built.
    pub(crate) fn kind(&self) -> TokenKind {
        self.kind
    }

    /// Gives the token these `iat`, `exp` and `nbf` instead of now, now + its lifetime
    /// and none (the `testing` module's expired and not-yet-valid tokens).
    #[cfg_attr(not(feature = "testing"), allow(dead_code))]
    pub(crate) fn times(
        mut self,
        issued_at: u64,
        expires_at: u64,
        not_before: Option<u64>,
    ) -> Self {
        self.times = Some((issued_at, expires_at, not_before));
        self
    }

    /// Signs with `key` (of `algorithm`) rather than the manager's own key: a token the
    /// manager must refuse (the `testing` module).
    #[cfg_attr(not(feature = "testing"), allow(dead_code))]
    pub(crate) fn sign_with(
        self,
        key: &EncodingKey,
        algorithm: Algorithm,
    ) -> Result<String, IssueError> {
        let claims = self.claims_map()?;
        jsonwebtoken::encode(&Header::new(algorithm), &claims, key)
            .map(|token| canonical_ecdsa(algorithm, token))
            .map_err(IssueError::Signing)
    }

    /// Signs the token.
    pub fn sign(self) -> Result<String, IssueError> {
        let signer = self
            .issuer
            .signer
            .as_ref()
            .ok_or(IssueError::NoSigningKey)?;
        let claims = self.claims_map()?;
        let mut header = Header::new(signer.algorithm);
        header.kid = signer.kid.clone();
        // Low-S only: the service's keys refuse the other ECDSA form.
        jsonwebtoken::encode(&header, &claims, &signer.encoding)
            .map(|token| canonical_ecdsa(signer.algorithm, token))
            .map_err(IssueError::Signing)
    }

    /// The claims, every rule of issuing applied.
    pub(crate) fn claims_map(self) -> Result<Map<String, Value>, IssueError> {
        let issuer = self.issuer;
        if self.subject.is_empty() {
            return Err(IssueError::EmptySubject);
        }
        let now = get_current_timestamp();
        let max_age = issuer.lifetimes.max_age(self.kind);
        let mut claims = Map::new();
        claims.insert("iss".into(), issuer.issuer.clone().into());
        claims.insert("sub".into(), self.subject.into());
        let (issued_at, expires_at, not_before) =
            self.times
                .unwrap_or((now, now.saturating_add(max_age), None));
        claims.insert("iat".into(), issued_at.into());
        claims.insert("exp".into(), expires_at.into());
        if let Some(nbf) = not_before {
            claims.insert("nbf".into(), nbf.into());
        }
        claims.insert("type".into(), self.kind.as_str().into());
        let jti = match self.jti {
            Some(jti) => jti,
            None => new_id()?,
        };
        claims.insert("jti".into(), jti.into());
        if let Some(family) = self.family {
            claims.insert("fam".into(), family.into());
        }
        if let Some(aud) = &issuer.audience {
            claims.insert("aud".into(), aud.clone().into());
        }
        if let Some(scope) = self.scope {
            let scope = scope.map_err(IssueError::Json)?;
            if self.kind == TokenKind::Refresh {
                return Err(IssueError::InvalidScope("refresh tokens carry no scope"));
            }
            let empty = match &scope {
                Value::Object(m) => m.is_empty(),
                Value::String(s) => s.is_empty(),
                Value::Array(a) => a.is_empty(),
                Value::Null => true,
                _ => {
                    return Err(IssueError::InvalidScope(
                        "expected a map, a space-delimited string or an array",
                    ));
                }
            };
            if let Some(vocabulary) = self.vocabulary {
                vocabulary
                    .check_scope(&scope)
                    .map_err(IssueError::Vocabulary)?;
            }
            if !empty {
                claims.insert("scope".into(), scope);
            }
        }
        if self.fresh && self.kind == TokenKind::Auth {
            claims.insert("fresh".into(), true.into());
        }
        for (name, value) in self.claims {
            if REGISTERED_CLAIMS.contains(&name.as_str()) {
                return Err(IssueError::ReservedClaim(name));
            }
            let value = value.map_err(IssueError::Json)?;
            if let Some(vocabulary) = self.vocabulary {
                vocabulary
                    .check_claim(&name, &value)
                    .map_err(IssueError::Vocabulary)?;
            }
            claims.insert(name, value);
        }
        Ok(claims)
    }
}

/// 128 random bits, base64url: unique per token or family, a revocation key.
pub(crate) fn new_id() -> Result<String, IssueError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(IssueError::Random)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}
