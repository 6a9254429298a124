//! The guard: one extractor type that applies a route's [`Requirement`] before anything
//! else runs, and the [`CurrentToken`] extractor built on it.
//!
//! Decisions, in order (the README's decision table):
//!
//! 1. find the credential the route accepts in its location(s) (an API key in its own
//!    header): none is 401, two are 400; a token from a cookie on an unsafe method from
//!    another origin is 403 `csrf_rejected`;
//! 2. verify it ([`AuthManager::authenticate`], or the opaque token's or API key's
//!    record): 401 `invalid_token`, 503 when the store cannot answer;
//! 3. the kind matches: 401 `invalid_token`;
//! 4. the token is fresh when the route asks: 401 `invalid_token`;
//! 5. when every `override` entry holds, steps 6 and 7 are skipped;
//! 6. path bindings and `claims(...)`: 403;
//! 7. `scope(...)`: 403 `insufficient_scope`.
//!
//! On success the guard records its decision (the accepted token, or "anonymous" on an
//! optional route) in the request extensions; [`CurrentToken`] reads that decision and
//! verifies on its own only on a route no guard protects.

use std::marker::PhantomData;

use axum::{
    extract::{FromRequestParts, OptionalFromRequestParts, RawPathParams},
    http::request::Parts,
};
use serde_json::{Map, Value};

use super::{response::AuthRejection, trace};
use crate::{
    credential::looks_like_jwt,
    error::{AuthError, ErrorHandler},
    manager::AuthManager,
    policy::{
        matching::{entries_hold, override_holds, path_param_matches, scope_name_granted},
        requirement::{PathBinding, Requirement},
    },
    token::{Credential, CurrentToken, TokenLocation},
};

/// Names a `'static` [`Requirement`] at the type level, so a [`Guard`] can carry it.
///
/// `#[require_token]` implements it on a hidden type per handler; implement it yourself to
/// guard a handler without the macro (see the [`requirement`](crate::requirement) module).
pub trait RequirementSpec: 'static {
    /// The requirement the guard applies.
    const REQUIREMENT: &'static Requirement;
}

/// An extractor that refuses the request unless its token meets `R::REQUIREMENT`.
///
/// `#[require_token]` inserts it as the handler's first argument, so the decision is made
/// before any other extractor runs (a forbidden request is 403, never a 422 from a body it
/// should not have read). It reads the [`AuthManager`] from the request extensions and
/// works in a router of any state type.
pub struct Guard<R>(PhantomData<fn() -> R>);

impl<R> std::fmt::Debug for Guard<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Guard")
    }
}

impl<S, R> FromRequestParts<S> for Guard<R>
where
    S: Send + Sync,
    R: RequirementSpec,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        authorize(parts, state, R::REQUIREMENT).await?;
        Ok(Guard(PhantomData))
    }
}

/// Any valid auth token, from the manager's default locations: what [`CurrentToken`]
/// verifies on a route that no guard protects.
const ANY_AUTH_TOKEN: &Requirement = &Requirement::new();
/// The same, or no token at all.
const ANY_AUTH_TOKEN_OR_NONE: &Requirement = &Requirement::new().optional();

/// What the guards of a request decided, recorded in its extensions by [`authorize`]:
/// the token every guard accepted, or `None` when a guard let the request through
/// anonymously. Once a guard has decided, the extractors read this and nothing else, so a
/// token the route's requirement never checked cannot reach the handler.
#[derive(Clone)]
struct Decision(Option<CurrentToken>);

impl Decision {
    /// Folds a guard's outcome into what earlier guards of the same request decided (a
    /// layer, then the handler's attribute): the handler sees only a token that every
    /// guard accepted.
    fn combine(earlier: Option<&Decision>, now: Option<CurrentToken>) -> Result<Self, AuthError> {
        match (earlier.and_then(|d| d.0.as_ref()), now) {
            // Two guards accepted two different credentials: refuse, as for two
            // credentials in one request.
            (Some(before), Some(now)) if before.signed_token() != now.signed_token() => {
                Err(AuthError::MultipleTokens)
            }
            // Otherwise the later guard's view stands: the same token, a token where an
            // earlier guard allowed anonymity, or anonymity where the earlier token was
            // never checked against this guard's requirement.
            (_, now) => Ok(Decision(now)),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentToken {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let decided = match parts.extensions.get::<Decision>() {
            Some(Decision(decided)) => decided.clone(),
            None => authorize(parts, state, ANY_AUTH_TOKEN).await?,
        };
        // A guard that decided "anonymous" never yields a token found elsewhere.
        decided.ok_or_else(|| AuthRejection::new(AuthError::MissingToken, error_handler(parts)))
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for CurrentToken {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        match parts.extensions.get::<Decision>() {
            Some(Decision(decided)) => Ok(decided.clone()),
            None => authorize(parts, state, ANY_AUTH_TOKEN_OR_NONE).await,
        }
    }
}

fn error_handler(parts: &Parts) -> Option<ErrorHandler> {
    parts
        .extensions
        .get::<AuthManager>()
        .and_then(|m| m.error_handler().cloned())
}

/// Applies `requirement` to the request: `Ok(None)` only for an optional requirement and
/// a request without a token in the requirement's locations.
///
/// The outcome is recorded in the request, and [`CurrentToken`] (required or `Option`)
/// reads it from then on: `Some(token)` means the token met `requirement` (and every
/// guard that ran before), `None` means the request was let through anonymously. When
/// two guards run on one request (a [`RequireTokenLayer`](crate::RequireTokenLayer) and
/// the handler's attribute), both must accept, and the handler sees the token both
/// accepted.
pub async fn authorize<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
    requirement: &Requirement,
) -> Result<Option<CurrentToken>, AuthRejection> {
    let Some(manager) = parts.extensions.get::<AuthManager>().cloned() else {
        let error = AuthError::NotConfigured;
        trace::decision(parts, Err(&error), false);
        return Err(AuthRejection::new(error, None));
    };
    let decided = decide(&manager, parts, state, requirement)
        .await
        .and_then(|token| Decision::combine(parts.extensions.get::<Decision>(), token));
    trace::decision(
        parts,
        decided.as_ref().map(|d| d.0.as_ref()),
        manager.trace_subject(),
    );
    match decided {
        Ok(decision) => {
            let token = decision.0.clone();
            parts.extensions.insert(decision);
            Ok(token)
        }
        Err(error) => Err(AuthRejection::new(error, manager.error_handler().cloned())),
    }
}

async fn decide<S: Send + Sync>(
    manager: &AuthManager,
    parts: &mut Parts,
    state: &S,
    requirement: &Requirement,
) -> Result<Option<CurrentToken>, AuthError> {
    let Some(token) = present(manager, parts, requirement).await? else {
        return if requirement.optional {
            Ok(None)
        } else {
            Err(AuthError::MissingToken)
        };
    };
    if token.kind() != requirement.kind {
        return Err(AuthError::WrongKind {
            expected: requirement.kind,
            found: token.kind(),
        });
    }
    if requirement.fresh && !token.is_fresh() {
        return Err(AuthError::NotFresh);
    }
    let claims = token.claims();
    if override_holds(requirement.overrides, claims) {
        return Ok(Some(token));
    }
    check_bindings(parts, state, requirement.bindings, claims).await?;
    if !entries_hold(requirement.claims, claims) {
        return Err(AuthError::ClaimMismatch);
    }
    check_scope(requirement, claims.get("scope"))?;
    Ok(Some(token))
}

/// The one credential the request carries of those the route accepts, checked: a
/// bearer token (a JWT, or an opaque token where the route takes one) in the route's
/// locations, or an API key in its header. Both at once are 400.
async fn present(
    manager: &AuthManager,
    parts: &Parts,
    requirement: &Requirement,
) -> Result<Option<CurrentToken>, AuthError> {
    let (jwt, opaque) = (
        requirement.accepts(Credential::Jwt),
        requirement.accepts(Credential::Opaque),
    );
    let bearer = if jwt || opaque {
        manager
            .sources()
            .locate(parts, requirement.locations, requirement.kind)?
    } else {
        None
    };
    let api_key = if requirement.accepts(Credential::ApiKey) {
        manager.sources().api_key(&parts.headers)?
    } else {
        None
    };
    let (raw, location) = match (bearer, api_key) {
        (Some(_), Some(_)) => return Err(AuthError::MultipleTokens),
        (None, Some(key)) => return manager.authenticate_api_key(key).await.map(Some),
        (None, None) => return Ok(None),
        (Some(found), None) => found,
    };
    let from_cookie = location == TokenLocation::Cookie;
    if from_cookie {
        manager
            .csrf()
            .check_request(&parts.method, &parts.headers)?;
    }
    // A route that takes both tells them apart by shape; one that takes opaque tokens
    // only refuses a JWT before any lookup.
    let token = if jwt && (!opaque || looks_like_jwt(raw)) {
        manager.authenticate(raw).await?
    } else {
        manager.authenticate_opaque(raw, requirement.kind).await?
    };
    if from_cookie {
        let claim = token.claim("csrf").and_then(Value::as_str);
        manager
            .csrf()
            .check_claim(&parts.method, &parts.headers, claim)?;
    }
    Ok(Some(token))
}

async fn check_bindings<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
    bindings: &'static [PathBinding],
    claims: &Map<String, Value>,
) -> Result<(), AuthError> {
    let Some(first) = bindings.first() else {
        return Ok(());
    };
    let params = match RawPathParams::from_request_parts(parts, state).await {
        Ok(params) => params,
        // A segment that is not UTF-8 equals no string claim.
        Err(axum::extract::rejection::RawPathParamsRejection::InvalidUtf8InPathParam(_)) => {
            return Err(AuthError::ClaimMismatch);
        }
        Err(_) => return Err(AuthError::MissingPathParameter { name: first.param }),
    };
    for binding in bindings {
        let Some((_, segment)) = params.iter().find(|(name, _)| *name == binding.param) else {
            return Err(AuthError::MissingPathParameter {
                name: binding.param,
            });
        };
        let holds = claims
            .get(binding.claim)
            .is_some_and(|claim| path_param_matches(claim, segment));
        if !holds {
            return Err(AuthError::ClaimMismatch);
        }
    }
    Ok(())
}

fn check_scope(requirement: &Requirement, scope: Option<&Value>) -> Result<(), AuthError> {
    if !requirement.scope.is_empty() {
        let granted = scope
            .and_then(Value::as_object)
            .is_some_and(|map| entries_hold(requirement.scope, map));
        if !granted {
            return Err(AuthError::InsufficientScope);
        }
    }
    for name in requirement.scope_names {
        if !scope.is_some_and(|s| scope_name_granted(s, name)) {
            return Err(AuthError::InsufficientScope);
        }
    }
    Ok(())
}
