//! Trusted issuers: for each `iss` a token may carry, the keys that verify it, the
//! audience and leeway its tokens are checked against, and what makes one of its tokens
//! an auth token.
//!
//! The service's own issuer has static keys and the `type` claim this library writes;
//! an identity provider (feature `jwks`) has keys fetched from its JWKS and a
//! [`TokenKindRule`] of its own. A token's `iss` picks the issuer, the issuer's keys then
//! verify the signature: never the other way round.

use std::sync::Arc;

use jsonwebtoken::{
    Algorithm,
    errors::{Error as JwtError, ErrorKind},
};
use serde_json::{Map, Value};

use super::{Key, Lifetimes, TokenKind, signature::PreparedKey};
use crate::error::AuthError;

/// What counts as an auth token among an identity provider's tokens, which do not carry
/// the `type` claim this library writes. Set it with
/// [`Provider::token_kind`](crate::jwks::Provider::token_kind) (feature `jwks`).
///
/// Whatever the rule, a provider's tokens are never refresh tokens, and the header's
/// `typ`, when present, must be `JWT` or `at+jwt` (case-insensitively, with or without
/// `application/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TokenKindRule {
    /// No kind check: every token the provider signs for this service (its `aud`) is an
    /// auth token. The default, because most providers (Keycloak, Entra ID) write `typ:
    /// JWT` on access and ID tokens alike: configure an audience so that only tokens
    /// meant for this service pass.
    #[default]
    Any,
    /// RFC 9068: only a token whose header says `typ: at+jwt` (or
    /// `application/at+jwt`) is an auth token; an ID token (`typ: JWT`) is refused.
    AccessTokenTyp,
    /// The `type` claim, as this library writes it (`"auth"` or `"refresh"`): for a
    /// sibling service that issues its tokens with `auth-runtime`.
    TypeClaim,
}

/// One verification key, pinned to its algorithm.
pub(crate) struct Verifier {
    pub(crate) kid: Option<String>,
    pub(crate) algorithm: Algorithm,
    /// The key, prepared once for `algorithm`.
    pub(crate) key: Arc<PreparedKey>,
}

impl Verifier {
    /// The verifier of a configured key (prepared when the key was built).
    pub(crate) fn new(key: &Key) -> Self {
        Self {
            kid: key.kid.clone(),
            algorithm: key.algorithm,
            key: key.prepared.clone(),
        }
    }
}

/// Where an issuer's keys come from.
pub(crate) enum TrustKeys {
    /// Keys configured at start-up: a token's `kid` picks one by exact match; a token
    /// without one is for the keys without a kid, picked by algorithm.
    Static(Vec<Arc<Verifier>>),
    /// Keys fetched from a provider's JWKS, read without a lock.
    #[cfg(feature = "jwks")]
    Remote(Arc<super::jwks::RemoteKeys>),
}

/// One trusted issuer and how its tokens are checked.
pub(crate) struct Trust {
    pub(crate) issuer: String,
    pub(crate) audience: Option<String>,
    pub(crate) leeway: u64,
    pub(crate) kinds: TokenKindRule,
    /// The longest lifetime (`exp - iat`) of each kind; `None` for a provider, whose
    /// lifetimes are its own.
    pub(crate) lifetimes: Option<Lifetimes>,
    pub(crate) keys: TrustKeys,
}

/// The claims checks a token passed.
pub(crate) struct Checked {
    pub(crate) kind: TokenKind,
    pub(crate) expires_at: u64,
    pub(crate) issued_at: u64,
}

impl Trust {
    /// The service's own issuer: its keys, the `type` claim, its lifetimes.
    pub(crate) fn own(
        issuer: String,
        audience: Option<String>,
        leeway: u64,
        lifetimes: Lifetimes,
        keys: &[Key],
    ) -> Self {
        Self {
            issuer,
            audience,
            leeway,
            kinds: TokenKindRule::TypeClaim,
            lifetimes: Some(lifetimes),
            keys: TrustKeys::Static(keys.iter().map(|k| Arc::new(Verifier::new(k))).collect()),
        }
    }

    /// An identity provider: its keys fetched from its JWKS, its own audience, leeway and
    /// kind rule. Checks the provider's settings; fetches nothing.
    #[cfg(feature = "jwks")]
    pub(crate) fn provider(
        provider: &super::jwks::Provider,
    ) -> Result<Self, crate::config::ConfigError> {
        Ok(Self {
            issuer: provider.issuer.clone(),
            audience: provider.audience.clone(),
            leeway: provider.leeway.as_secs(),
            kinds: provider.kinds,
            lifetimes: None,
            keys: TrustKeys::Remote(Arc::new(super::jwks::RemoteKeys::new(provider)?)),
        })
    }

    /// Whether the keys are in hand: always for static keys; for a provider, once its
    /// key set has been fetched.
    pub(crate) fn keys_loaded(&self) -> bool {
        match &self.keys {
            TrustKeys::Static(_) => true,
            #[cfg(feature = "jwks")]
            TrustKeys::Remote(remote) => remote.is_loaded(),
        }
    }

    /// Fetches a provider's keys if it has none or old ones (within its cooldown); true
    /// when keys are in hand.
    #[cfg(feature = "jwks")]
    pub(crate) async fn load_keys(&self) -> bool {
        match &self.keys {
            TrustKeys::Static(_) => true,
            TrustKeys::Remote(remote) => remote.load().await,
        }
    }

    /// How many keys are configured at start-up (a provider's are fetched).
    pub(crate) fn static_key_count(&self) -> usize {
        match &self.keys {
            TrustKeys::Static(keys) => keys.len(),
            #[cfg(feature = "jwks")]
            TrustKeys::Remote(_) => 0,
        }
    }

    /// The key for a token with this `kid` and `alg`: an exact `kid` lookup, never a
    /// fallback to another key. A token without a `kid` is verified by the key without a
    /// kid pinned to its `alg` (one secret for HS256 and HS512); when no such key is
    /// configured, by any key without a kid, whose own algorithm then refuses it: the
    /// token never chooses an algorithm a key was not configured with.
    pub(crate) fn verifier(
        &self,
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<Arc<Verifier>, AuthError> {
        match &self.keys {
            TrustKeys::Static(keys) => {
                let found = match kid {
                    Some(kid) => keys.iter().find(|v| v.kid.as_deref() == Some(kid)),
                    None => {
                        let mut unnamed = keys.iter().filter(|v| v.kid.is_none());
                        unnamed
                            .clone()
                            .find(|v| v.algorithm == alg)
                            .or_else(|| unnamed.next())
                    }
                };
                found.cloned().ok_or(AuthError::UnknownKey)
            }
            #[cfg(feature = "jwks")]
            TrustKeys::Remote(remote) => remote.verifier(kid, alg),
        }
    }

    /// Checks the header's `typ` against what this issuer writes.
    pub(crate) fn check_typ(&self, typ: Option<&str>) -> Result<(), AuthError> {
        // `split_at_checked`, not `t[..12]`: the header is not verified yet, and a
        // character across byte 12 must be a refusal, not a panic.
        let is = |t: &str, name: &str| {
            t.eq_ignore_ascii_case(name)
                || t.split_at_checked(12).is_some_and(|(media, sub)| {
                    media.eq_ignore_ascii_case("application/") && sub.eq_ignore_ascii_case(name)
                })
        };
        let fits = match (self.kinds, typ) {
            (TokenKindRule::TypeClaim, Some(t)) => is(t, "jwt"),
            (TokenKindRule::AccessTokenTyp, Some(t)) => is(t, "at+jwt"),
            (TokenKindRule::Any, Some(t)) => is(t, "jwt") || is(t, "at+jwt"),
            (TokenKindRule::Any, None) => true,
            (_, None) => false,
        };
        if fits {
            Ok(())
        } else {
            Err(AuthError::UnsupportedHeader { parameter: "typ" })
        }
    }

    /// Every claim check: time, issuer, subject, audience, kind, lifetime, claim types.
    pub(crate) fn check_claims(
        &self,
        claims: &Map<String, Value>,
        now: u64,
    ) -> Result<Checked, AuthError> {
        let invalid = |claim| AuthError::InvalidClaim { claim };
        let required = |claim: &str| reject(ErrorKind::MissingRequiredClaim(claim.to_owned()));

        let expires_at = claims
            .get("exp")
            .and_then(numeric_date)
            .ok_or_else(|| required("exp"))?;
        if expires_at < now.saturating_sub(self.leeway) {
            return Err(AuthError::Expired);
        }
        if let Some(nbf) = claims.get("nbf") {
            let nbf = numeric_date(nbf)
                .ok_or_else(|| reject(ErrorKind::InvalidClaimFormat("nbf".to_owned())))?;
            if nbf > now.saturating_add(self.leeway) {
                return Err(AuthError::NotYetValid);
            }
        }
        match claims.get("iss") {
            None => return Err(required("iss")),
            Some(iss) if iss.as_str() != Some(self.issuer.as_str()) => return Err(invalid("iss")),
            Some(_) => {}
        }
        match claims.get("sub") {
            None => return Err(required("sub")),
            Some(Value::String(sub)) if !sub.is_empty() => {}
            Some(_) => return Err(invalid("sub")),
        }
        match (&self.audience, claims.get("aud")) {
            (None, None) => {}
            (None, Some(_)) => return Err(reject(ErrorKind::InvalidAudience)),
            (Some(_), None) => return Err(required("aud")),
            (Some(expected), Some(aud)) if audience_contains(aud, expected) => {}
            (Some(_), Some(_)) => return Err(invalid("aud")),
        }
        // Our own tokens always carry `iat`; a provider's may not.
        let issued_at = match claims.get("iat") {
            None if self.lifetimes.is_none() => 0,
            iat => iat.and_then(numeric_date).ok_or(invalid("iat"))?,
        };
        if issued_at > now.saturating_add(self.leeway) {
            return Err(AuthError::NotYetValid);
        }
        let kind = match self.kinds {
            TokenKindRule::TypeClaim => claims
                .get("type")
                .and_then(Value::as_str)
                .and_then(TokenKind::from_claim)
                .ok_or(invalid("type"))?,
            TokenKindRule::Any | TokenKindRule::AccessTokenTyp => TokenKind::Auth,
        };
        if let Some(lifetimes) = self.lifetimes
            && expires_at.saturating_sub(issued_at) > lifetimes.max_age(kind)
        {
            return Err(invalid("exp"));
        }
        if claims
            .get("scope")
            .is_some_and(|s| !(s.is_object() || s.is_string() || s.is_array()))
        {
            return Err(invalid("scope"));
        }
        for (claim, well_typed) in [
            ("jti", Value::is_string as fn(&Value) -> bool),
            ("fam", Value::is_string),
            ("fresh", Value::is_boolean),
        ] {
            if claims.get(claim).is_some_and(|v| !well_typed(v)) {
                return Err(invalid(claim));
            }
        }
        Ok(Checked {
            kind,
            expires_at,
            issued_at,
        })
    }
}

/// A refusal in jsonwebtoken's terms.
pub(crate) fn reject(kind: ErrorKind) -> AuthError {
    AuthError::Rejected(kind.into())
}

pub(crate) fn rejected(error: JwtError) -> AuthError {
    AuthError::Rejected(error)
}

/// A NumericDate (RFC 7519 §2): a non-negative JSON number, rounded as jsonwebtoken does.
fn numeric_date(value: &Value) -> Option<u64> {
    let n = value.as_number()?;
    n.as_u64().or_else(|| {
        n.as_f64()
            .filter(|f| f.is_finite() && *f >= 0.0 && *f < u64::MAX as f64)
            .map(|f| f.round() as u64)
    })
}

/// `aud` is a string or an array of strings (RFC 7519 §4.1.3); any other shape fails.
fn audience_contains(aud: &Value, expected: &str) -> bool {
    match aud {
        Value::String(s) => s == expected,
        Value::Array(items) => {
            items.iter().all(Value::is_string) && items.iter().any(|i| i == expected)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numeric_dates_are_non_negative_numbers() {
        assert_eq!(numeric_date(&json!(10)), Some(10));
        assert_eq!(numeric_date(&json!(10.6)), Some(11));
        assert_eq!(numeric_date(&json!(-1)), None);
        assert_eq!(numeric_date(&json!("10")), None);
        assert_eq!(numeric_date(&json!(null)), None);
        assert_eq!(numeric_date(&json!(true)), None);
        assert_eq!(numeric_date(&json!(1e300)), None);
    }

    #[test]
    fn audience_must_be_a_string_or_strings() {
        assert!(audience_contains(&json!("api"), "api"));
        assert!(audience_contains(&json!(["other", "api"]), "api"));
        assert!(!audience_contains(&json!("API"), "api"));
        assert!(!audience_contains(&json!(["api", 1]), "api"));
        assert!(!audience_contains(&json!({"x": "api"}), "api"));
        assert!(!audience_contains(&json!([]), "api"));
        assert!(!audience_contains(&json!(null), "api"));
    }

    fn trust(kinds: TokenKindRule) -> Trust {
        Trust {
            issuer: "idp".into(),
            audience: None,
            leeway: 0,
            kinds,
            lifetimes: None,
            keys: TrustKeys::Static(Vec::new()),
        }
    }

    #[test]
    fn each_kind_rule_accepts_its_typ() {
        let any = trust(TokenKindRule::Any);
        for typ in [
            None,
            Some("JWT"),
            Some("at+jwt"),
            Some("application/AT+JWT"),
        ] {
            assert!(any.check_typ(typ).is_ok(), "{typ:?}");
        }
        assert!(any.check_typ(Some("refresh+jwt")).is_err());
        let access = trust(TokenKindRule::AccessTokenTyp);
        assert!(access.check_typ(Some("at+jwt")).is_ok());
        assert!(access.check_typ(Some("application/at+jwt")).is_ok());
        for typ in [None, Some("JWT"), Some("id+jwt")] {
            assert!(access.check_typ(typ).is_err(), "{typ:?}");
        }
        let own = trust(TokenKindRule::TypeClaim);
        assert!(own.check_typ(Some("jwt")).is_ok());
        assert!(own.check_typ(Some("at+jwt")).is_err());
        assert!(own.check_typ(None).is_err());
    }

    #[test]
    fn a_providers_token_is_an_auth_token_without_iat() {
        let now = 1_000;
        let claims = json!({"iss": "idp", "sub": "a", "exp": 2_000, "scope": "read admin"});
        let checked = trust(TokenKindRule::Any)
            .check_claims(claims.as_object().unwrap(), now)
            .expect("accepted");
        assert_eq!(checked.kind, TokenKind::Auth);
        let missing_type =
            trust(TokenKindRule::TypeClaim).check_claims(claims.as_object().unwrap(), now);
        assert!(missing_type.is_err());
    }
}
