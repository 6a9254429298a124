//! Verification: jsonwebtoken's checks, configured strictly, plus the ones it does not
//! make (research: security.md §2 and §5).
//!
//! jsonwebtoken 11 verifies the signature with the algorithm pinned by the key, `exp`,
//! `nbf`, `iss` and `aud` when they parse. On top of that this module refuses: tokens over
//! the size limit (before decoding), a `kid` that is not an exact match, a `crit` header, a
//! `typ` other than `JWT`, a wrongly typed `iss`/`sub`/`aud`/`iat`/`type`/`scope`/`jti`
//! (jsonwebtoken treats those as absent), a future `iat`, a lifetime longer than the
//! configured maximum age, and duplicate claim names at any depth.

use jsonwebtoken::{Algorithm, DecodingKey, Validation, errors::ErrorKind, get_current_timestamp};
use serde_json::{Map, Value};

use crate::{
    AuthError, AuthManager, CurrentToken, Key, TokenKind,
    claims::{StrictClaims, Verified},
};

/// One verification key with the `Validation` built for it, once, at start-up.
pub(crate) struct Verifier {
    kid: Option<String>,
    algorithm: Algorithm,
    decoding: DecodingKey,
    validation: Validation,
}

impl Verifier {
    pub(crate) fn new(key: &Key, issuer: &str, audience: Option<&str>, leeway: u64) -> Self {
        let mut validation = Validation::new(key.algorithm);
        validation.leeway = leeway;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[issuer]);
        match audience {
            Some(aud) => {
                validation.set_audience(&[aud]);
                validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
            }
            None => {
                // With no audience configured, a token that carries one is refused.
                validation.validate_aud = true;
                validation.aud = None;
                validation.set_required_spec_claims(&["exp", "iss", "sub"]);
            }
        }
        Self {
            kid: key.kid.clone(),
            algorithm: key.algorithm,
            decoding: key.decoding.clone(),
            validation,
        }
    }
}

impl AuthManager {
    /// Verifies a token: size, key, signature, algorithm, time claims, issuer, audience,
    /// claim types, lifetime and revocation. It does not check the token's kind or any
    /// route requirement: the guard does that.
    ///
    /// A token verified before is served from the cache (when it is on) without its
    /// signature being checked again, but its expiry and revocation are checked on every
    /// call.
    pub fn verify(&self, token: &str) -> Result<CurrentToken, AuthError> {
        let inner = &self.inner;
        let now = get_current_timestamp();
        let current = match inner.cache.get(token, now, inner.leeway) {
            Some(hit) => hit,
            None => {
                let fresh = self.verify_uncached(token)?;
                inner.cache.insert(&fresh, now);
                fresh
            }
        };
        if let Some(is_revoked) = &inner.revocation
            && is_revoked(&current)
        {
            return Err(AuthError::Revoked);
        }
        Ok(current)
    }

    pub(crate) fn verify_uncached(&self, token: &str) -> Result<CurrentToken, AuthError> {
        let inner = &self.inner;
        if token.len() > inner.max_token_bytes {
            return Err(AuthError::TokenTooLarge);
        }
        if token.is_empty() {
            return Err(AuthError::MalformedCredentials);
        }
        let verifier = match inner.verifiers.as_slice() {
            [only] => only,
            many => {
                // Several keys: pick one by exact `kid`. The header is read unverified
                // only to choose the key; nothing in it is trusted before `decode`.
                let header = jsonwebtoken::decode_header(token).map_err(reject)?;
                let kid = header.kid.ok_or(AuthError::UnknownKey)?;
                many.iter()
                    .find(|v| v.kid.as_deref() == Some(kid.as_str()))
                    .ok_or(AuthError::UnknownKey)?
            }
        };
        let data =
            jsonwebtoken::decode::<StrictClaims>(token, &verifier.decoding, &verifier.validation)
                .map_err(reject)?;
        let header = data.header;
        if header.crit.is_some() {
            return Err(AuthError::UnsupportedHeader { parameter: "crit" });
        }
        match header.typ.as_deref() {
            Some(t)
                if t.eq_ignore_ascii_case("JWT") || t.eq_ignore_ascii_case("application/jwt") => {}
            _ => return Err(AuthError::UnsupportedHeader { parameter: "typ" }),
        }
        if header.kid != verifier.kid {
            return Err(AuthError::UnknownKey);
        }

        let claims = data.claims.0;
        let now = get_current_timestamp();
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

    /// The claim checks jsonwebtoken does not make, or makes only when a claim parses.
    fn check_claims(&self, claims: &Map<String, Value>, now: u64) -> Result<Checked, AuthError> {
        let inner = &self.inner;
        let invalid = |claim| AuthError::InvalidClaim { claim };
        if claims.get("iss").and_then(Value::as_str) != Some(inner.issuer.as_str()) {
            return Err(invalid("iss"));
        }
        match claims.get("sub").and_then(Value::as_str) {
            Some(sub) if !sub.is_empty() => {}
            _ => return Err(invalid("sub")),
        }
        match (&inner.audience, claims.get("aud")) {
            (None, None) => {}
            (Some(expected), Some(aud)) if audience_contains(aud, expected) => {}
            _ => return Err(invalid("aud")),
        }
        let expires_at = claims
            .get("exp")
            .and_then(numeric_date)
            .ok_or(invalid("exp"))?;
        let issued_at = claims
            .get("iat")
            .and_then(numeric_date)
            .ok_or(invalid("iat"))?;
        if issued_at > now.saturating_add(inner.leeway) {
            return Err(AuthError::NotYetValid);
        }
        if claims
            .get("nbf")
            .is_some_and(|nbf| numeric_date(nbf).is_none())
        {
            return Err(invalid("nbf"));
        }
        let kind = claims
            .get("type")
            .and_then(Value::as_str)
            .and_then(TokenKind::from_claim)
            .ok_or(invalid("type"))?;
        let max_age = match kind {
            TokenKind::Auth => inner.auth_max_age,
            TokenKind::Refresh => inner.refresh_max_age,
        };
        if expires_at.saturating_sub(issued_at) > max_age {
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

struct Checked {
    kind: TokenKind,
    expires_at: u64,
    issued_at: u64,
}

fn reject(e: jsonwebtoken::errors::Error) -> AuthError {
    match e.kind() {
        ErrorKind::ExpiredSignature => AuthError::Expired,
        ErrorKind::ImmatureSignature => AuthError::NotYetValid,
        _ => AuthError::Rejected(e),
    }
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
