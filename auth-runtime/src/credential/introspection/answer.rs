//! An introspection answer (RFC 7662 §2.2) read strictly: what makes it a token record,
//! what makes the token inactive, and what is the endpoint's fault.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use crate::{credential::TokenRecord, store::StoreError, token::TokenKind};

/// Members the record sets from fields, or that say nothing about the token.
const CONSUMED: &[&str] = &["active", "sub", "username", "scope", "exp", "token_type"];

/// What the answer must show, besides `active: true`.
#[derive(Debug, Clone, Default)]
pub(super) struct Expected {
    pub(super) issuer: Option<String>,
    pub(super) audience: Option<String>,
}

/// An active token's record, and how long it may be served from the cache.
#[derive(Debug, Clone)]
pub(super) struct Active {
    pub(super) record: TokenRecord,
    pub(super) lives: Duration,
}

/// The time now, as a duration since the Unix epoch.
pub(super) fn since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

fn fault(why: impl Into<String>) -> StoreError {
    StoreError::Upstream(why.into())
}

/// Reads `body`, the 200 answer about a token of `kind`, at `now`.
///
/// - Not a JSON object, `active` missing or not a boolean, `exp`/`nbf` not integers,
///   `scope` neither a string nor an array of strings: the endpoint's fault (`Err`, 503).
/// - `active: false`; `exp` passed; `nbf` to come; `iss` or `aud` not the expected ones;
///   neither `sub` nor `username` a non-empty string: `Ok(None)` (401).
/// - Otherwise a record of `kind` whose subject is `sub` (else `username`), expiring at
///   `exp` (else after `ttl`), with `scope` and every other member as claims; it may be
///   cached for `ttl`, and never past `exp`.
pub(super) fn read(
    body: &[u8],
    kind: TokenKind,
    expected: &Expected,
    ttl: Duration,
    now: Duration,
) -> Result<Option<Active>, StoreError> {
    let answer: Value = serde_json::from_slice(body)
        .map_err(|e| fault(format!("the introspection answer is not JSON ({e})")))?;
    let Value::Object(members) = answer else {
        return Err(fault("the introspection answer is not a JSON object"));
    };
    match members.get("active") {
        Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) => return Ok(None),
        _ => {
            return Err(fault(
                "the introspection answer's `active` is missing or not a boolean",
            ));
        }
    }
    let exp = time_member(&members, "exp")?;
    if exp.is_some_and(|exp| Duration::from_secs(exp) <= now)
        || time_member(&members, "nbf")?.is_some_and(|nbf| Duration::from_secs(nbf) > now)
    {
        return Ok(None);
    }
    if !matches_expected(&members, expected) {
        return Ok(None);
    }
    let Some(subject) = ["sub", "username"]
        .iter()
        .find_map(|name| members.get(*name).and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
    else {
        return Ok(None);
    };
    let scope = match members.get("scope") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(Value::String(s.clone())),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
            Some(Value::Array(items.clone()))
        }
        Some(_) => {
            return Err(fault(
                "the introspection answer's `scope` is not a space-delimited string",
            ));
        }
    };
    let lives = match exp {
        Some(exp) => ttl.min(Duration::from_secs(exp).saturating_sub(now)),
        None => ttl,
    };
    let expires_at = exp.unwrap_or_else(|| (now + ttl).as_secs());
    let mut record = TokenRecord::new(subject, kind, expires_at);
    record.scope = scope;
    record.claims = members
        .into_iter()
        .filter(|(name, _)| !CONSUMED.contains(&name.as_str()))
        .collect();
    Ok(Some(Active { record, lives }))
}

/// A NumericDate member (`exp`, `nbf`): absent, or a non-negative integer.
fn time_member(members: &Map<String, Value>, name: &str) -> Result<Option<u64>, StoreError> {
    match members.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value.as_u64().map(Some).ok_or_else(|| {
            fault(format!(
                "the introspection answer's `{name}` is not a number of seconds"
            ))
        }),
    }
}

/// Whether `iss` and `aud` are the expected ones, where expected.
fn matches_expected(members: &Map<String, Value>, expected: &Expected) -> bool {
    let issuer_ok = expected
        .issuer
        .as_deref()
        .is_none_or(|iss| members.get("iss").and_then(Value::as_str) == Some(iss));
    let audience_ok = expected
        .audience
        .as_deref()
        .is_none_or(|aud| match members.get("aud") {
            Some(Value::String(s)) => s == aud,
            Some(Value::Array(items)) => items.iter().any(|v| v.as_str() == Some(aud)),
            _ => false,
        });
    issuer_ok && audience_ok
}

/// `text` encoded as `application/x-www-form-urlencoded` (the form body, and the client
/// id and secret before HTTP Basic, RFC 6749 §2.3.1).
pub(super) fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const NOW: Duration = Duration::from_secs(1_000_000);
    const TTL: Duration = Duration::from_secs(60);

    fn read_json(answer: Value, expected: &Expected) -> Result<Option<Active>, StoreError> {
        read(
            answer.to_string().as_bytes(),
            TokenKind::Auth,
            expected,
            TTL,
            NOW,
        )
    }

    fn active(answer: Value) -> Active {
        read_json(answer, &Expected::default())
            .expect("no fault")
            .expect("active")
    }

    fn inactive(answer: Value, expected: &Expected) {
        assert!(
            read_json(answer.clone(), expected)
                .expect("no fault")
                .is_none(),
            "{answer}"
        );
    }

    fn faulty(body: &[u8]) {
        let error = read(body, TokenKind::Auth, &Expected::default(), TTL, NOW).unwrap_err();
        assert!(
            matches!(error, StoreError::Upstream(_)),
            "{}",
            String::from_utf8_lossy(body)
        );
    }

    #[test]
    fn an_active_answer_becomes_a_record() {
        let got = active(json!({
            "active": true, "sub": "alice", "scope": "read write", "exp": 1_000_030,
            "client_id": "web", "token_type": "Bearer", "iss": "https://as"
        }));
        assert_eq!(got.record.subject, "alice");
        assert_eq!(got.record.kind, TokenKind::Auth);
        assert_eq!(got.record.expires_at, 1_000_030);
        assert_eq!(got.record.scope, Some(json!("read write")));
        assert_eq!(got.record.claims.get("client_id"), Some(&json!("web")));
        assert!(!got.record.claims.contains_key("token_type"));
        assert!(!got.record.claims.contains_key("active"));
        assert_eq!(got.lives, Duration::from_secs(30), "never past exp");
    }

    #[test]
    fn without_exp_the_record_lives_the_ttl_and_username_stands_in_for_sub() {
        let got = active(json!({"active": true, "username": "bob"}));
        assert_eq!(got.record.subject, "bob");
        assert_eq!(got.record.expires_at, 1_000_060);
        assert_eq!(got.lives, TTL);
        assert_eq!(got.record.scope, None);
    }

    #[test]
    fn inactive_expired_future_and_subjectless_tokens_are_refused() {
        let none = Expected::default();
        inactive(json!({"active": false, "sub": "alice"}), &none);
        inactive(
            json!({"active": true, "sub": "alice", "exp": 1_000_000}),
            &none,
        );
        inactive(
            json!({"active": true, "sub": "alice", "exp": 999_000}),
            &none,
        );
        inactive(
            json!({"active": true, "sub": "alice", "nbf": 1_000_001}),
            &none,
        );
        inactive(json!({"active": true}), &none);
        inactive(json!({"active": true, "sub": ""}), &none);
        inactive(json!({"active": true, "sub": 7}), &none);
    }

    #[test]
    fn issuer_and_audience_are_checked_when_expected() {
        let expected = Expected {
            issuer: Some("https://as".into()),
            audience: Some("api".into()),
        };
        let ok = |answer: Value| {
            assert!(
                read_json(answer.clone(), &expected).unwrap().is_some(),
                "{answer}"
            );
        };
        ok(json!({"active": true, "sub": "a", "iss": "https://as", "aud": "api"}));
        ok(json!({"active": true, "sub": "a", "iss": "https://as", "aud": ["x", "api"]}));
        inactive(
            json!({"active": true, "sub": "a", "iss": "https://other", "aud": "api"}),
            &expected,
        );
        inactive(json!({"active": true, "sub": "a", "aud": "api"}), &expected);
        inactive(
            json!({"active": true, "sub": "a", "iss": "https://as", "aud": ["x"]}),
            &expected,
        );
        inactive(
            json!({"active": true, "sub": "a", "iss": "https://as"}),
            &expected,
        );
    }

    #[test]
    fn anything_out_of_protocol_is_the_endpoint_fault() {
        faulty(b"not json");
        faulty(b"<html>busy</html>");
        faulty(b"[true]");
        faulty(br#"{"sub": "alice"}"#);
        faulty(br#"{"active": "true", "sub": "alice"}"#);
        faulty(br#"{"active": 1, "sub": "alice"}"#);
        faulty(br#"{"active": null}"#);
        faulty(br#"{"active": true, "sub": "a", "exp": "soon"}"#);
        faulty(br#"{"active": true, "sub": "a", "exp": -5}"#);
        faulty(br#"{"active": true, "sub": "a", "scope": {"read": true}}"#);
    }

    #[test]
    fn form_encoding_keeps_only_the_unreserved_bytes() {
        assert_eq!(form_encode("abc-._*XYZ09"), "abc-._*XYZ09");
        assert_eq!(form_encode("a b+c/d=e&f%"), "a+b%2Bc%2Fd%3De%26f%25");
        assert_eq!(form_encode("é"), "%C3%A9");
    }
}
