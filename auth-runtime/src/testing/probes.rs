//! [`probes`]: from a route's `'static` requirement, a token that passes and one token per
//! clause that fails, with the status each must get. The rule is written once, on the
//! handler; its tests are derived from it.
//!
//! ```
//! use auth_runtime::{AuthManager, Algorithm, Key, require_token, routing::requirement_of};
//! use auth_runtime::testing::probes;
//!
//! #[require_token(sub = "username", scope("users:read"))]
//! async fn profile(axum::extract::Path(username): axum::extract::Path<String>) -> String {
//!     username
//! }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let manager = AuthManager::builder()
//!     .issuer("tests")
//!     .signing_key(Key::hmac(Algorithm::HS256, [7u8; 32]).unwrap())
//!     .build()
//!     .unwrap();
//! let requirement = requirement_of::<_, _, ()>(&profile).unwrap();
//! let probes = probes(&manager, requirement).await;
//! assert_eq!(probes.path_params, [("username", "alice".to_owned())]);
//! // Send `probes.passing` to /users/alice and expect 200; each of `probes.refused`
//! // with its `status`.
//! assert!(probes.refused.iter().any(|p| p.clause == "scope users:read" && p.status == 403));
//! # }
//! ```

use serde_json::{Map, Value};

use super::TestToken;
use crate::{
    manager::AuthManager,
    policy::requirement::{Entry, Expected, Requirement},
    token::TokenKind,
};

/// The subject a probe's token names, and the value bound path parameters get.
const SUBJECT: &str = "alice";
/// A value that equals no bound parameter.
const STRANGER: &str = "mallory";

/// What a requirement lets through and what it refuses.
#[derive(Debug)]
pub struct Probes {
    /// A token that meets the whole requirement (sent where the route reads tokens).
    pub passing: String,
    /// A token that meets none of the claim and scope clauses but grants every `override`
    /// entry, when the requirement has any: it passes too.
    pub passing_by_override: Option<String>,
    /// The values to put in the route's path for its bound parameters.
    pub path_params: Vec<(&'static str, String)>,
    /// One request per clause that must fail.
    pub refused: Vec<Probe>,
}

/// A request the requirement must refuse.
#[derive(Debug)]
pub struct Probe {
    /// The clause it breaks, in words (`"no token"`, `"expired"`, `"claim role"`...).
    pub clause: String,
    /// The token to send, or `None` for a request without one.
    pub token: Option<String>,
    /// The status the route must answer.
    pub status: u16,
}

/// The probes of `requirement`, minted by `manager` (a revoked one goes through its store).
pub async fn probes(manager: &AuthManager, requirement: &Requirement) -> Probes {
    let path_params = requirement
        .bindings
        .iter()
        .map(|b| (b.param, bound_value(b.claim)))
        .collect();
    let passing = compliant(manager, requirement, None).sign();
    let passing_by_override = (!requirement.overrides.is_empty()).then(|| {
        let mut token = base(manager, requirement, SUBJECT);
        for entry in requirement.overrides {
            token = token.claim(entry.key, json(&entry.value));
        }
        token.sign()
    });
    let mut refused = Vec::new();
    let mut refuse = |clause: &str, token: Option<String>, status: u16| {
        refused.push(Probe {
            clause: clause.to_owned(),
            token,
            status,
        });
    };
    if !requirement.optional {
        refuse("no token", None, 401);
    }
    let whole = || compliant(manager, requirement, None);
    refuse("expired", Some(whole().expired().sign()), 401);
    refuse("not yet valid", Some(whole().not_yet_valid().sign()), 401);
    refuse(
        "another key",
        Some(whole().signed_by_another_key().sign()),
        401,
    );
    let revoked = compliant(manager, requirement, None).revoked().await;
    refuse("revoked", Some(revoked), 401);
    let wrong_kind = match requirement.kind {
        TokenKind::Auth => TestToken::new(manager, SUBJECT).refresh(),
        TokenKind::Refresh => TestToken::new(manager, SUBJECT),
    };
    refuse("wrong kind", Some(wrong_kind.sign()), 401);
    if requirement.fresh {
        let stale = compliant(manager, requirement, Some(Clause::Fresh));
        refuse("not fresh", Some(stale.sign()), 401);
    }
    for binding in requirement.bindings {
        let token = compliant(manager, requirement, Some(Clause::Binding(binding.claim)));
        refuse(
            &format!("binding {}", binding.claim),
            Some(token.sign()),
            403,
        );
    }
    for entry in requirement.claims {
        let token = compliant(manager, requirement, Some(Clause::Claim(entry.key)));
        refuse(&format!("claim {}", entry.key), Some(token.sign()), 403);
    }
    for entry in requirement.scope {
        let token = compliant(manager, requirement, Some(Clause::Scope(entry.key)));
        refuse(&format!("scope {}", entry.key), Some(token.sign()), 403);
    }
    for name in requirement.scope_names {
        let token = compliant(manager, requirement, Some(Clause::Scope(name)));
        refuse(&format!("scope {name}"), Some(token.sign()), 403);
    }
    Probes {
        passing,
        passing_by_override,
        path_params,
        refused,
    }
}

/// The clause a compliant token leaves out.
#[derive(Clone, Copy, PartialEq)]
enum Clause {
    Fresh,
    Binding(&'static str),
    Claim(&'static str),
    Scope(&'static str),
}

fn bound_value(claim: &str) -> String {
    if claim == "sub" {
        SUBJECT.to_owned()
    } else {
        format!("{claim}-value")
    }
}

/// The token's kind and freshness, for `subject`.
fn base<'a>(manager: &'a AuthManager, requirement: &Requirement, subject: &str) -> TestToken<'a> {
    base_fresh(manager, requirement, subject, requirement.fresh)
}

fn base_fresh<'a>(
    manager: &'a AuthManager,
    requirement: &Requirement,
    subject: &str,
    fresh: bool,
) -> TestToken<'a> {
    let token = TestToken::new(manager, subject);
    let token = match requirement.kind {
        TokenKind::Refresh => token.refresh(),
        TokenKind::Auth => token,
    };
    if fresh { token.fresh() } else { token }
}

/// A token meeting every clause of `requirement` except `without`.
fn compliant<'a>(
    manager: &'a AuthManager,
    requirement: &Requirement,
    without: Option<Clause>,
) -> TestToken<'a> {
    let subject = match without {
        Some(Clause::Binding("sub")) => STRANGER,
        _ => SUBJECT,
    };
    let fresh = requirement.fresh && without != Some(Clause::Fresh);
    let mut token = base_fresh(manager, requirement, subject, fresh);
    for binding in requirement.bindings.iter().filter(|b| b.claim != "sub") {
        let value = if without == Some(Clause::Binding(binding.claim)) {
            STRANGER.to_owned()
        } else {
            bound_value(binding.claim)
        };
        token = token.claim(binding.claim, value);
    }
    for entry in requirement.claims {
        if without != Some(Clause::Claim(entry.key)) {
            token = token.claim(entry.key, json(&entry.value));
        }
    }
    let mut scope = Map::new();
    for entry in requirement.scope {
        if without != Some(Clause::Scope(entry.key)) {
            scope.insert(entry.key.to_owned(), json(&entry.value));
        }
    }
    for name in requirement.scope_names {
        if without != Some(Clause::Scope(name)) {
            scope.insert((*name).to_owned(), Value::Bool(true));
        }
    }
    if !scope.is_empty() {
        token = token.scope(Value::Object(scope));
    }
    token
}

/// The JSON a required value matches.
fn json(expected: &Expected) -> Value {
    match expected {
        Expected::String(s) => Value::from(*s),
        Expected::Integer(n) => Value::from(*n),
        Expected::Bool(b) => Value::from(*b),
        Expected::Array(items) => Value::Array(items.iter().map(json).collect()),
        Expected::Map(entries) => Value::Object(object(entries)),
    }
}

fn object(entries: &[Entry]) -> Map<String, Value> {
    entries
        .iter()
        .map(|e| (e.key.to_owned(), json(&e.value)))
        .collect()
}
