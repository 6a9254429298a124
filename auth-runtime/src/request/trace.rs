//! One `tracing` event per guard decision: the outcome, the reason code, the route and the
//! method, at `debug` (accepted, anonymous, client refusals) or `error` (server faults:
//! 500 and 503), under the target `auth_runtime::decision`. Never the token, never its
//! signature; the subject (`user.id`) only when the application asks for it
//! ([`AuthManagerBuilder::trace_subject`](crate::AuthManagerBuilder::trace_subject)).

use axum::{extract::MatchedPath, http::request::Parts};

use crate::{error::AuthError, token::CurrentToken};

/// Records what a guard decided for the request in `parts`.
pub(crate) fn decision(
    parts: &Parts,
    outcome: Result<Option<&CurrentToken>, &AuthError>,
    with_subject: bool,
) {
    // Field values are evaluated only when the event is enabled: nothing is looked up on
    // the hot path of a service that does not log decisions.
    let route = || {
        parts
            .extensions
            .get::<MatchedPath>()
            .map_or("-", MatchedPath::as_str)
    };
    let method = || parts.method.as_str();
    match outcome {
        Ok(Some(token)) => tracing::debug!(
            target: "auth_runtime::decision",
            outcome = "accepted",
            reason = "ok",
            route = route(),
            method = method(),
            user.id = with_subject.then(|| token.sub()),
            kind = token.kind().as_str(),
            "request authorized"
        ),
        Ok(None) => tracing::debug!(
            target: "auth_runtime::decision",
            outcome = "anonymous",
            reason = "no_token",
            route = route(),
            method = method(),
            "request let through without a token"
        ),
        Err(error) if error.is_server_fault() => tracing::error!(
            target: "auth_runtime::decision",
            outcome = "refused",
            reason = error.body_code(),
            status = error.status().as_u16(),
            route = route(),
            method = method(),
            error = %error,
            "request refused by a server-side fault"
        ),
        Err(error) => tracing::debug!(
            target: "auth_runtime::decision",
            outcome = "refused",
            reason = error.body_code(),
            status = error.status().as_u16(),
            route = route(),
            method = method(),
            error = %error,
            "request refused"
        ),
    }
}
