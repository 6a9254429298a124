//! Verification: one parse of the header, jsonwebtoken's crypto for the signature, one
//! parse of the claims, and every check of the policy.
//!
//! jsonwebtoken's `decode` parses the header twice and the claims twice, and checks
//! `iss`, `aud`, `sub`, `exp` and `nbf` only when they parse (a wrongly typed claim counts
//! as absent). This module therefore uses jsonwebtoken for what it is good at, the header
//! type, the keys and the signature (`jsonwebtoken::crypto::verify`), and makes the checks
//! itself, strictly:
//!
//! - tokens over the size limit are refused before any decoding;
//! - the algorithm is the key's, never the token's; `kid` is an exact lookup;
//! - a `crit` header and a `typ` other than `JWT` are refused;
//! - base64url is strict (no padding, canonical trailing bits), as jsonwebtoken's;
//! - claim names are unique at every depth;
//! - `exp`, `iat`, `iss`, `sub` and `type` are required with their JSON types; `nbf` and a
//!   future `iat` are checked; leeway is 0 unless configured;
//! - `aud` is required when configured and refused when not;
//! - the lifetime (`exp - iat`) is at most the kind's maximum age.
//!
//! Errors that jsonwebtoken would report keep its `ErrorKind`, as the `source` of
//! [`AuthError::Rejected`].

use std::borrow::Cow;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{
    Algorithm, DecodingKey,
    errors::{Error as JwtError, ErrorKind},
    get_current_timestamp,
};
use serde::Deserialize;
use serde_json::{Map, Value};

use std::sync::Arc;

use super::{
    CurrentToken, Key, Lifetimes, TokenKind,
    cache::TokenCache,
    claims::{StrictClaims, Verified},
};
use crate::error::AuthError;

/// A function that says whether a verified token has been revoked (look its `jti` up in
/// a denylist). Called on every request, after verification, cached or not.
pub type RevocationCheck = Arc<dyn Fn(&CurrentToken) -> bool + Send + Sync>;

/// One verification key, pinned to its algorithm.
pub(crate) struct Verifier {
    kid: Option<String>,
    algorithm: Algorithm,
    decoding: DecodingKey,
}

impl Verifier {
    pub(crate) fn new(key: &Key) -> Self {
        Self {
            kid: key.kid.clone(),
            algorithm: key.algorithm,
            decoding: key.decoding.clone(),
        }
    }
}

/// Everything verification needs: the keys, the policy and the cache.
pub(crate) struct Validator {
    issuer: String,
    audience: Option<String>,
    leeway: u64,
    lifetimes: Lifetimes,
    max_token_bytes: usize,
    verifiers: Vec<Verifier>,
    cache: TokenCache,
    revocation: Option<RevocationCheck>,
}

/// What a [`Validator`] checks tokens against.
pub(crate) struct Policy {
    pub(crate) issuer: String,
    pub(crate) audience: Option<String>,
    pub(crate) leeway: u64,
    pub(crate) lifetimes: Lifetimes,
    pub(crate) max_token_bytes: usize,
    pub(crate) cache_capacity: usize,
    pub(crate) revocation: Option<RevocationCheck>,
}

impl Validator {
    /// Prepares `keys` (already checked by [`Key::check_set`]) for verification.
    pub(crate) fn new(keys: &[Key], policy: Policy) -> Self {
        Self {
            issuer: policy.issuer,
            audience: policy.audience,
            leeway: policy.leeway,
            lifetimes: policy.lifetimes,
            max_token_bytes: policy.max_token_bytes,
            verifiers: keys.iter().map(Verifier::new).collect(),
            cache: TokenCache::new(policy.cache_capacity),
            revocation: policy.revocation,
        }
    }

    /// How many keys verify tokens.
    pub(crate) fn key_count(&self) -> usize {
        self.verifiers.len()
    }

    /// Verifies a token: size, key, signature, algorithm, time claims, issuer, audience,
    /// claim types, lifetime and revocation. It does not check the token's kind or any
    /// route requirement: the guard does that.
    ///
    /// A token verified before is served from the cache (when it is on) without its
    /// signature being checked again, but its expiry and revocation are checked on every
    /// call.
    pub(crate) fn verify(&self, token: &str) -> Result<CurrentToken, AuthError> {
        let now = get_current_timestamp();
        let key = self.cache.key(token);
        let hit = key.and_then(|key| self.cache.get(key, token, now, self.leeway));
        let current = match hit {
            Some(hit) => hit,
            None => {
                let fresh = self.verify_uncached(token, now)?;
                if let Some(key) = key {
                    self.cache.insert(key, &fresh, now);
                }
                fresh
            }
        };
        if let Some(is_revoked) = &self.revocation
            && is_revoked(&current)
        {
            return Err(AuthError::Revoked);
        }
        Ok(current)
    }

    pub(crate) fn verify_uncached(&self, token: &str, now: u64) -> Result<CurrentToken, AuthError> {
        if token.len() > self.max_token_bytes {
            return Err(AuthError::TokenTooLarge);
        }
        if token.is_empty() {
            return Err(AuthError::MalformedCredentials);
        }
        let (message, signature) = token
            .rsplit_once('.')
            .ok_or_else(|| reject(ErrorKind::InvalidToken))?;
        let (header_part, payload_part) = message
            .rsplit_once('.')
            .ok_or_else(|| reject(ErrorKind::InvalidToken))?;

        // The header is read before the signature only to choose the key and refuse what
        // no key could accept; nothing in it is trusted beyond that.
        let header_json = decode_base64(header_part)?;
        let header: JoseHeader<'_> =
            serde_json::from_slice(&header_json).map_err(|e| rejected(e.into()))?;
        let verifier = self.verifier_for(&header)?;
        if header.alg != verifier.algorithm {
            return Err(reject(ErrorKind::InvalidAlgorithm));
        }
        if header.crit.is_some() {
            return Err(AuthError::UnsupportedHeader { parameter: "crit" });
        }
        match header.typ.as_deref() {
            Some(t)
                if t.eq_ignore_ascii_case("JWT") || t.eq_ignore_ascii_case("application/jwt") => {}
            _ => return Err(AuthError::UnsupportedHeader { parameter: "typ" }),
        }
        let valid = jsonwebtoken::crypto::verify(
            signature,
            message.as_bytes(),
            &verifier.decoding,
            verifier.algorithm,
        )
        .map_err(rejected)?;
        if !valid {
            return Err(reject(ErrorKind::InvalidSignature));
        }

        let StrictClaims(claims) = serde_json::from_slice(&decode_base64(payload_part)?)
            .map_err(|e| rejected(e.into()))?;
        let checked = self.check_claims(&claims, now)?;
        Ok(CurrentToken::new(Verified {
            signed: token.into(),
            kind: checked.kind,
            expires_at: checked.expires_at,
            issued_at: checked.issued_at,
            claims,
            algorithm: verifier.algorithm,
            kid: verifier.kid.clone(),
        }))
    }

    /// The key for this header: with one key, the token must name its `kid` (or none when
    /// it has none); with several, the `kid` picks one by exact match.
    fn verifier_for(&self, header: &JoseHeader<'_>) -> Result<&Verifier, AuthError> {
        match self.verifiers.as_slice() {
            [only] if only.kid.as_deref() == header.kid.as_deref() => Ok(only),
            [_] => Err(AuthError::UnknownKey),
            many => {
                let kid = header.kid.as_deref().ok_or(AuthError::UnknownKey)?;
                many.iter()
                    .find(|v| v.kid.as_deref() == Some(kid))
                    .ok_or(AuthError::UnknownKey)
            }
        }
    }

    /// Every claim check: time, issuer, subject, audience, kind, lifetime, claim types.
    fn check_claims(&self, claims: &Map<String, Value>, now: u64) -> Result<Checked, AuthError> {
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
        let issued_at = claims
            .get("iat")
            .and_then(numeric_date)
            .ok_or(invalid("iat"))?;
        if issued_at > now.saturating_add(self.leeway) {
            return Err(AuthError::NotYetValid);
        }
        let kind = claims
            .get("type")
            .and_then(Value::as_str)
            .and_then(TokenKind::from_claim)
            .ok_or(invalid("type"))?;
        if expires_at.saturating_sub(issued_at) > self.lifetimes.max_age(kind) {
            return Err(invalid("exp"));
        }
        if claims
            .get("scope")
            .is_some_and(|s| !(s.is_object() || s.is_string() || s.is_array()))
        {
            return Err(invalid("scope"));
        }
        if claims.get("jti").is_some_and(|j| !j.is_string()) {
            return Err(invalid("jti"));
        }
        if claims.get("fam").is_some_and(|f| !f.is_string()) {
            return Err(invalid("fam"));
        }
        if claims.get("fresh").is_some_and(|f| !f.is_boolean()) {
            return Err(invalid("fresh"));
        }
        Ok(Checked {
            kind,
            expires_at,
            issued_at,
        })
    }
}

/// The header parameters the policy reads. Parameters it does not name (`jku`, `jwk`,
/// `x5u`, `x5c`...) are never used; a name given twice is refused.
#[derive(Deserialize)]
struct JoseHeader<'a> {
    alg: Algorithm,
    #[serde(borrow, default)]
    typ: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    kid: Option<Cow<'a, str>>,
    #[serde(default)]
    crit: Option<serde::de::IgnoredAny>,
}

/// Decodes one base64url part, strictly (no padding, canonical trailing bits), as
/// jsonwebtoken does.
fn decode_base64(part: &str) -> Result<Vec<u8>, AuthError> {
    URL_SAFE_NO_PAD.decode(part).map_err(|e| rejected(e.into()))
}

struct Checked {
    kind: TokenKind,
    expires_at: u64,
    issued_at: u64,
}

/// A refusal in jsonwebtoken's terms.
fn reject(kind: ErrorKind) -> AuthError {
    AuthError::Rejected(kind.into())
}

fn rejected(error: JwtError) -> AuthError {
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
}
