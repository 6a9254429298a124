//! Claims: the token kinds, the verified token handlers see, and a claims parser that
//! refuses duplicate names at every depth (RFC 7519 §4).

use std::{fmt, sync::Arc};

use jsonwebtoken::Algorithm;

use super::Credential;
use serde::{
    Deserialize, Deserializer,
    de::{self, MapAccess, SeqAccess, Visitor},
};
use serde_json::{Map, Number, Value, map::Entry};

/// The two kinds of token, told apart by the `type` claim (Flask_PyJWT's wire format).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A short-lived token that grants access to routes (`"type": "auth"`).
    Auth,
    /// A long-lived token that can only be exchanged for a new auth token
    /// (`"type": "refresh"`).
    Refresh,
}

impl TokenKind {
    /// The value of the `type` claim for this kind.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Auth => "auth",
            Self::Refresh => "refresh",
        }
    }

    pub(crate) fn from_claim(value: &str) -> Option<Self> {
        match value {
            "auth" => Some(Self::Auth),
            "refresh" => Some(Self::Refresh),
            _ => None,
        }
    }
}

/// How long each kind of token lives, in seconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lifetimes {
    pub(crate) auth: u64,
    pub(crate) refresh: u64,
}

impl Lifetimes {
    /// The lifetime of a token of `kind`.
    pub(crate) fn max_age(self, kind: TokenKind) -> u64 {
        match kind {
            TokenKind::Auth => self.auth,
            TokenKind::Refresh => self.refresh,
        }
    }
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A verified token: what `#[require_token]` checked, for the handler to read.
///
/// Take it as a handler argument. On a guarded route it is the token the guard verified;
/// on a route without a guard it verifies the request's token itself (any valid auth
/// token), so it also works as a plain extractor. As `Option<CurrentToken>` a request
/// without a token gives `None`, while a present but bad token is still refused.
///
/// It mirrors Flask_PyJWT's `current_token`: [`kind`](Self::kind), [`sub`](Self::sub),
/// [`scope`](Self::scope), all [`claims`](Self::claims) and the
/// [`signed_token`](Self::signed_token). Cloning is cheap (one `Arc`). Its `Debug` output
/// never shows the signed token.
#[derive(Clone)]
pub struct CurrentToken(Arc<Verified>);

pub(crate) struct Verified {
    pub(crate) signed: Box<str>,
    pub(crate) kind: TokenKind,
    pub(crate) claims: Map<String, Value>,
    pub(crate) expires_at: u64,
    pub(crate) issued_at: u64,
    pub(crate) credential: Credential,
    pub(crate) algorithm: Option<Algorithm>,
    pub(crate) kid: Option<String>,
}

impl CurrentToken {
    pub(crate) fn new(verified: Verified) -> Self {
        Self(Arc::new(verified))
    }

    /// Whether this is an auth or a refresh token.
    pub fn kind(&self) -> TokenKind {
        self.0.kind
    }

    /// The subject (`sub`): always a non-empty string once verified.
    pub fn sub(&self) -> &str {
        self.0
            .claims
            .get("sub")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// The `scope` claim, if the token carries one (auth tokens only).
    pub fn scope(&self) -> Option<&Value> {
        self.0.claims.get("scope")
    }

    /// Every claim of the token, registered and custom.
    pub fn claims(&self) -> &Map<String, Value> {
        &self.0.claims
    }

    /// One claim by name.
    pub fn claim(&self, name: &str) -> Option<&Value> {
        self.0.claims.get(name)
    }

    /// The token id (`jti`), if the token carries one (every token this library issues
    /// does).
    pub fn jti(&self) -> Option<&str> {
        self.0.claims.get("jti").and_then(Value::as_str)
    }

    /// The refresh family (`fam`) the token belongs to, if it was issued by
    /// [`AuthManager::login`](crate::AuthManager::login) or a refresh: a logout or a
    /// detected refresh reuse revokes the whole family.
    pub fn family(&self) -> Option<&str> {
        self.0.claims.get("fam").and_then(Value::as_str)
    }

    /// Whether the token was minted at login rather than from a refresh token.
    pub fn is_fresh(&self) -> bool {
        self.0.claims.get("fresh") == Some(&Value::Bool(true))
    }

    /// The token as it arrived (Flask_PyJWT's `signed`; the opaque token or the API key
    /// for those credentials). Treat it as a secret: never log it.
    pub fn signed_token(&self) -> &str {
        &self.0.signed
    }

    /// When the token expires (`exp`, seconds since the Unix epoch).
    pub fn expires_at(&self) -> u64 {
        self.0.expires_at
    }

    /// When the token was issued (`iat`, seconds since the Unix epoch).
    pub fn issued_at(&self) -> u64 {
        self.0.issued_at
    }

    /// What the request presented: a JWT, an opaque token or an API key.
    pub fn credential(&self) -> Credential {
        self.0.credential
    }

    /// The algorithm that verified the token: `None` for a credential that is not a JWT.
    pub fn algorithm(&self) -> Option<Algorithm> {
        self.0.algorithm
    }

    /// The `kid` of the key that verified the token, if keys have ids.
    pub fn kid(&self) -> Option<&str> {
        self.0.kid.as_deref()
    }
}

impl fmt::Debug for CurrentToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CurrentToken")
            .field("credential", &self.credential())
            .field("kind", &self.kind())
            .field("sub", &self.sub())
            .field("jti", &self.jti())
            .field("expires_at", &self.expires_at())
            .finish_non_exhaustive()
    }
}

/// The claims object of a token, parsed so that a name given twice, at any depth, is an
/// error rather than "last one wins" (which would let `{"scope":"read","scope":"admin"}`
/// through as admin).
pub(crate) struct StrictClaims(pub(crate) Map<String, Value>);

impl<'de> Deserialize<'de> for StrictClaims {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_map(StrictVisitor)
            .and_then(|v| match v {
                Value::Object(map) => Ok(StrictClaims(map)),
                _ => Err(de::Error::custom("claims must be a JSON object")),
            })
    }
}

struct StrictValue(Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value without duplicate object keys")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("non-finite number"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(StrictValue(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let StrictValue(value) = map.next_value()?;
            match out.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                Entry::Occupied(taken) => {
                    let key = taken.key();
                    return Err(de::Error::custom(format_args!("duplicate claim `{key}`")));
                }
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Map<String, Value>, serde_json::Error> {
        serde_json::from_str::<StrictClaims>(json).map(|c| c.0)
    }

    #[test]
    fn duplicate_names_are_refused_at_every_depth() {
        assert!(parse(r#"{"scope":"read","scope":"admin"}"#).is_err());
        assert!(parse(r#"{"scope":{"a":1,"a":2}}"#).is_err());
        assert!(parse(r#"{"x":[{"k":1,"k":1}]}"#).is_err());
    }

    #[test]
    fn ordinary_claims_parse_to_their_json_values() {
        let claims = parse(r#"{"sub":"alice","n":-3,"f":1.5,"ok":true,"z":null,"a":[1,"x"]}"#)
            .expect("valid claims");
        assert_eq!(claims["sub"], "alice");
        assert_eq!(claims["n"], -3);
        assert_eq!(claims["f"], 1.5);
        assert_eq!(claims["ok"], true);
        assert_eq!(claims["z"], Value::Null);
        assert_eq!(claims["a"], serde_json::json!([1, "x"]));
    }

    #[test]
    fn floats_read_back_exactly_as_written() {
        // serde_json's default float parser is one unit in the last place off here.
        let claims = parse(r#"{"x":6.73573050663857e-281}"#).expect("valid claims");
        assert_eq!(claims["x"].as_f64(), Some(6.73573050663857e-281));
    }

    #[test]
    fn claims_must_be_an_object() {
        assert!(parse("[]").is_err());
        assert!(parse("null").is_err());
        assert!(parse(r#""str""#).is_err());
    }

    #[test]
    fn kinds_round_trip_through_the_type_claim() {
        for kind in [TokenKind::Auth, TokenKind::Refresh] {
            assert_eq!(TokenKind::from_claim(kind.as_str()), Some(kind));
        }
        assert_eq!(TokenKind::from_claim("Auth"), None);
        assert_eq!(TokenKind::from_claim("access"), None);
    }
}
