//! Verification: one strict parse of the header ([`super::header`]), the signature
//! checked by a key prepared once ([`super::signature`]), one parse of the claims, and
//! every check of the policy.
//!
//! jsonwebtoken's `decode` parses the header twice and the claims twice, and checks
//! `iss`, `aud`, `sub`, `exp` and `nbf` only when they parse (a wrongly typed claim counts
//! as absent); its `crypto::verify` parses an RSA or EC public key again on every call.
//! This module therefore uses jsonwebtoken for its algorithm names, key formats and
//! errors, aws-lc directly for the signature, and makes the checks itself, strictly:
//!
//! - tokens over the size limit are refused before any decoding;
//! - with several trusted issuers (the service's own, identity providers), the token's
//!   `iss` picks the issuer and only that issuer's keys can verify it;
//! - the algorithm is the key's, never the token's; `kid` is an exact lookup;
//! - the header is one JSON object, `alg` a string, every name once at every depth and
//!   every string valid UTF-8 (unpaired surrogate escapes included);
//! - a `crit` header is refused whatever its value, and a `typ` other than `JWT` (a
//!   provider's tokens: its [`TokenKindRule`](super::TokenKindRule));
//! - an ECDSA signature by one of this service's signing keys must be low-S (one text
//!   per token);
//! - base64url is strict (no padding, canonical trailing bits), as jsonwebtoken's;
//! - claim names are unique at every depth;
//! - `exp`, `iat`, `iss`, `sub` and `type` are required with their JSON types (a
//!   provider's tokens need no `iat` or `type`); `nbf` and a
//!   future `iat` are checked; leeway is 0 unless configured;
//! - `aud` is required when configured and refused when not;
//! - the lifetime (`exp - iat`) is at most the kind's maximum age.
//!
//! Errors that jsonwebtoken would report keep its `ErrorKind`, as the `source` of
//! [`AuthError::Rejected`].

use std::borrow::Cow;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{errors::ErrorKind, get_current_timestamp};
use serde_json::{Map, Value};

use std::sync::Arc;

use super::{
    CurrentToken,
    cache::TokenCache,
    claims::{StrictClaims, Verified},
    header::JoseHeader,
    trust::{Trust, reject, rejected},
};
use crate::error::AuthError;

/// A function that says whether a verified token has been revoked (look its `jti` up in
/// a denylist). Called on every request, after verification, cached or not.
pub type RevocationCheck = Arc<dyn Fn(&CurrentToken) -> bool + Send + Sync>;

/// Everything verification needs: the trusted issuers, the policy and the cache.
pub(crate) struct Validator {
    trusts: Vec<Trust>,
    /// The smallest leeway of any issuer: a cached token past it is verified again, with
    /// its own issuer's leeway.
    cache_leeway: u64,
    max_token_bytes: usize,
    cache: TokenCache,
    revocation: Option<RevocationCheck>,
}

/// What a [`Validator`] checks tokens against.
pub(crate) struct Policy {
    /// The trusted issuers (at least one, each `iss` once).
    pub(crate) trusts: Vec<Trust>,
    pub(crate) max_token_bytes: usize,
    pub(crate) cache_capacity: usize,
    pub(crate) revocation: Option<RevocationCheck>,
}

impl Validator {
    /// Prepares the issuers (already checked by the builder) for verification.
    pub(crate) fn new(policy: Policy) -> Self {
        Self {
            cache_leeway: policy.trusts.iter().map(|t| t.leeway).min().unwrap_or(0),
            trusts: policy.trusts,
            max_token_bytes: policy.max_token_bytes,
            cache: TokenCache::new(policy.cache_capacity),
            revocation: policy.revocation,
        }
    }

    /// How many keys verify tokens, among those configured at start-up.
    pub(crate) fn key_count(&self) -> usize {
        self.trusts.iter().map(Trust::static_key_count).sum()
    }

    /// The trusted issuers.
    pub(crate) fn trusts(&self) -> &[Trust] {
        &self.trusts
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
        let hit = key.and_then(|key| self.cache.get(key, token, now, self.cache_leeway));
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
        let mut header_buf = [0u8; HEADER_BYTES];
        let header_json = decode_base64_into(header_part, &mut header_buf)?;
        let header = JoseHeader::parse(&header_json).map_err(|e| rejected(e.into()))?;
        // With several issuers, the claims are read before the signature for one thing
        // only: `iss` names the issuer whose keys must verify the signature.
        let peeked = match self.trusts.as_slice() {
            [_] => None,
            _ => Some(parse_claims(payload_part)?),
        };
        let trust = self.trust_for(peeked.as_ref())?;
        let verifier = trust.verifier(header.kid.as_deref(), header.alg)?;
        if header.alg != verifier.algorithm {
            return Err(reject(ErrorKind::InvalidAlgorithm));
        }
        if header.crit {
            return Err(AuthError::UnsupportedHeader { parameter: "crit" });
        }
        trust.check_typ(header.typ.as_deref())?;
        let mut signature_buf = [0u8; SIGNATURE_BYTES];
        let signature = decode_base64_into(signature, &mut signature_buf)?;
        if !verifier.key.verify(message.as_bytes(), &signature) {
            return Err(reject(ErrorKind::InvalidSignature));
        }

        let claims = match peeked {
            Some(claims) => claims,
            None => parse_claims(payload_part)?,
        };
        let checked = trust.check_claims(&claims, now)?;
        Ok(CurrentToken::new(Verified {
            signed: token.into(),
            kind: checked.kind,
            expires_at: checked.expires_at,
            issued_at: checked.issued_at,
            claims,
            credential: crate::token::Credential::Jwt,
            algorithm: Some(verifier.algorithm),
            kid: verifier.kid.clone(),
        }))
    }

    /// The issuer whose keys verify this token: the only one, or the one its (not yet
    /// verified) `iss` names.
    fn trust_for(&self, claims: Option<&Map<String, Value>>) -> Result<&Trust, AuthError> {
        let (Some(claims), many @ [_, _, ..]) = (claims, self.trusts.as_slice()) else {
            return self.trusts.first().ok_or(AuthError::UnknownKey);
        };
        let iss = claims
            .get("iss")
            .ok_or_else(|| reject(ErrorKind::MissingRequiredClaim("iss".to_owned())))?;
        many.iter()
            .find(|t| iss.as_str() == Some(t.issuer.as_str()))
            .ok_or(AuthError::InvalidClaim { claim: "iss" })
    }

    /// [`verify`](Self::verify); when the token's issuer is an identity provider whose
    /// keys lack its `kid` (or were never fetched), refreshes them once, within the
    /// provider's cooldown, and verifies again. An unknown `kid` after that is still
    /// [`AuthError::UnknownKey`] (401); no keys at all is
    /// [`AuthError::KeysUnavailable`] (503).
    pub(crate) async fn verify_fetching(&self, token: &str) -> Result<CurrentToken, AuthError> {
        #[cfg(feature = "jwks")]
        {
            let since = std::time::Instant::now();
            match self.verify(token) {
                Err(error @ (AuthError::UnknownKey | AuthError::KeysUnavailable)) => {
                    let Some(super::trust::TrustKeys::Remote(remote)) =
                        self.named_trust(token).map(|t| &t.keys)
                    else {
                        return Err(error);
                    };
                    if remote.refresh_after_miss(since).await {
                        self.verify(token)
                    } else {
                        Err(error)
                    }
                }
                other => other,
            }
        }
        #[cfg(not(feature = "jwks"))]
        self.verify(token)
    }

    /// The issuer a token names in its `iss` (not verified), when it is one of several.
    #[cfg(feature = "jwks")]
    pub(crate) fn named_trust(&self, token: &str) -> Option<&Trust> {
        if token.len() > self.max_token_bytes {
            return None;
        }
        let payload = token.split('.').nth(1)?;
        let claims = parse_claims(payload).ok()?;
        self.trust_for(Some(&claims)).ok()
    }
}

/// The decoded header fits on the stack up to this size (larger ones are allocated).
const HEADER_BYTES: usize = 512;

/// The decoded signature fits on the stack up to this size: RSA keys up to 8192 bits.
const SIGNATURE_BYTES: usize = 1024;

/// Decodes one base64url part, strictly (no padding, canonical trailing bits), as
/// jsonwebtoken does.
fn decode_base64(part: &str) -> Result<Vec<u8>, AuthError> {
    URL_SAFE_NO_PAD.decode(part).map_err(|e| rejected(e.into()))
}

/// Decodes one base64url part as [`decode_base64`] does, into `buf` when it fits.
fn decode_base64_into<'b>(part: &str, buf: &'b mut [u8]) -> Result<Cow<'b, [u8]>, AuthError> {
    if base64::decoded_len_estimate(part.len()) > buf.len() {
        return decode_base64(part).map(Cow::Owned);
    }
    let len = URL_SAFE_NO_PAD
        .decode_slice(part, buf)
        .map_err(|e| match e {
            base64::DecodeSliceError::DecodeError(e) => rejected(e.into()),
            base64::DecodeSliceError::OutputSliceTooSmall => reject(ErrorKind::InvalidToken),
        })?;
    Ok(Cow::Borrowed(&buf[..len]))
}

/// The claims of the payload part, every name once at every depth.
fn parse_claims(payload_part: &str) -> Result<Map<String, Value>, AuthError> {
    let StrictClaims(claims) =
        serde_json::from_slice(&decode_base64(payload_part)?).map_err(|e| rejected(e.into()))?;
    Ok(claims)
}
