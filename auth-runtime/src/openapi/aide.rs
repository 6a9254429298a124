//! OpenAPI through aide 0.15 (feature `aide`): a guarded handler registers with
//! `aide::axum::ApiRouter` like any other, and its operation says what the guard enforces.
//!
//! `#[require_token(...)]` makes a [`Guard`] the handler's first argument, and the guard
//! is an [`OperationInput`]: it adds the route's security requirement (one per location
//! the route reads: `bearer`, `cookie`, `query`, with the route's scope names; the empty
//! requirement first on an `optional` route) and, as aide's early responses, the refusals
//! it can answer (401; 403 when it checks claims or reads a cookie; 400 when it reads
//! several locations; 503 when the token store is down), each with an [`AuthErrorBody`]
//! and each unless the operation documents that status already. Register the schemes the
//! requirements name once, with [`security_schemes`]:
//!
//! ```
//! use aide::{axum::{ApiRouter, routing::get}, openapi::OpenApi};
//! use auth_runtime::{openapi::aide::security_schemes, require_token};
//!
//! #[require_token(scope("users:read"))]
//! async fn users() -> String { "alice".into() }
//!
//! let mut api = OpenApi::default();
//! let _app: axum::Router = ApiRouter::new()
//!     .api_route("/users", get(users))
//!     .finish_api_with(&mut api, security_schemes);
//!
//! let spec = serde_json::to_value(&api).unwrap();
//! assert_eq!(spec["paths"]["/users"]["get"]["security"][0]["bearer"][0], "users:read");
//! assert!(spec["paths"]["/users"]["get"]["responses"]["401"].is_object());
//! assert_eq!(spec["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
//! ```
//!
//! The other extractors of this crate are inputs too. [`CurrentToken`] and
//! [`CurrentUser`] behind a guard read its decision and add nothing; without a guard they
//! verify on their own, and document the same as a guard with the default requirement
//! (any valid auth token, `bearer`, 401 and 503). `Option<CurrentToken>` without a guard
//! documents nothing (aide's `Option` passes no early responses on): anonymous requests
//! pass, and a bad token's 401 is not listed. [`Public`] documents nothing.
//!
//! What aide cannot see is not documented: a [`RequireTokenLayer`](crate::RequireTokenLayer)
//! or [`ProtectAllLayer`](crate::ProtectAllLayer) around the router. With
//! `aide::generate::infer_responses(false)`, aide asks no input for its early responses,
//! so the refusals are left out and the security requirement stays.

use aide::{
    OperationInput,
    generate::GenContext,
    openapi::{
        ApiKeyLocation, MediaType, Operation, Response, SchemaObject, SecurityRequirement,
        SecurityScheme, StatusCode,
    },
    transform::TransformOpenApi,
};

use super::AuthErrorBody;
use crate::{
    policy::requirement::Requirement,
    request::{
        declared::Public,
        guard::{Guard, RequirementSpec},
        user::CurrentUser,
    },
    token::{Credential, CurrentToken, TokenLocation},
};

/// What [`CurrentToken`] applies on a route that no guard protects.
const ANY_AUTH_TOKEN: &Requirement = &Requirement::new();

/// Registers the security schemes the guards' requirements name: `bearer` (HTTP bearer,
/// JWT or opaque token), `cookie` (the `auth_token` cookie), `query` (the `access_token`
/// parameter) and `api_key` (the `X-API-Key` header). Pass it to `ApiRouter::finish_api_with`, or call it inside your own transform; with
/// other cookie or parameter names, register your own schemes under the same three names.
pub fn security_schemes(api: TransformOpenApi<'_>) -> TransformOpenApi<'_> {
    let api_key = |location, name: &str| SecurityScheme::ApiKey {
        location,
        name: name.to_owned(),
        description: None,
        extensions: Default::default(),
    };
    api.security_scheme(
        "bearer",
        SecurityScheme::Http {
            scheme: "bearer".to_owned(),
            bearer_format: Some("JWT".to_owned()),
            description: None,
            extensions: Default::default(),
        },
    )
    .security_scheme("cookie", api_key(ApiKeyLocation::Cookie, "auth_token"))
    .security_scheme("query", api_key(ApiKeyLocation::Query, "access_token"))
    .security_scheme("api_key", api_key(ApiKeyLocation::Header, "X-API-Key"))
}

impl<R: RequirementSpec> OperationInput for Guard<R> {
    fn operation_input(_: &mut GenContext, operation: &mut Operation) {
        add_security(operation, R::REQUIREMENT);
    }

    fn inferred_early_responses(
        ctx: &mut GenContext,
        operation: &mut Operation,
    ) -> Vec<(Option<u16>, Response)> {
        refusal_responses(ctx, operation, R::REQUIREMENT)
    }
}

impl OperationInput for CurrentToken {
    fn inferred_early_responses(
        ctx: &mut GenContext,
        operation: &mut Operation,
    ) -> Vec<(Option<u16>, Response)> {
        // A guard, always the first argument, has documented the route already: this
        // extractor only reads its decision.
        if !operation.security.is_empty() {
            return Vec::new();
        }
        add_security(operation, ANY_AUTH_TOKEN);
        refusal_responses(ctx, operation, ANY_AUTH_TOKEN)
    }
}

impl<U> OperationInput for CurrentUser<U> {
    fn inferred_early_responses(
        ctx: &mut GenContext,
        operation: &mut Operation,
    ) -> Vec<(Option<u16>, Response)> {
        CurrentToken::inferred_early_responses(ctx, operation)
    }
}

impl OperationInput for Public {}

/// Adds the security requirements of `requirement` that the operation does not list yet.
fn add_security(operation: &mut Operation, requirement: &Requirement) {
    for wanted in security(requirement) {
        if !operation.security.contains(&wanted) {
            operation.security.push(wanted);
        }
    }
}

/// One requirement per location the route reads (the header when it names none) when it
/// takes bearer tokens, and `api_key` when it takes API keys, each with the route's scope
/// names; the empty requirement first on an optional route.
fn security(requirement: &Requirement) -> Vec<SecurityRequirement> {
    let scopes: Vec<String> = requirement
        .scope_names
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let locations = match requirement.locations {
        [] => &[TokenLocation::Header][..],
        locations => locations,
    };
    let mut out = Vec::new();
    if requirement.optional {
        out.push(SecurityRequirement::default());
    }
    let bearer = requirement
        .accepted_credentials()
        .iter()
        .any(|c| c.is_bearer());
    let mut schemes: Vec<&str> = locations
        .iter()
        .filter(|_| bearer)
        .map(|location| match location {
            TokenLocation::Header => "bearer",
            TokenLocation::Cookie => "cookie",
            TokenLocation::Query => "query",
        })
        .collect();
    if requirement.accepts(Credential::ApiKey) {
        schemes.push("api_key");
    }
    for scheme in schemes {
        out.push(SecurityRequirement::from_iter([(
            scheme.to_owned(),
            scopes.clone(),
        )]));
    }
    out
}

/// The refusals `requirement` can answer that the operation does not document yet.
fn refusal_responses(
    ctx: &mut GenContext,
    operation: &Operation,
    requirement: &Requirement,
) -> Vec<(Option<u16>, Response)> {
    let documented = |status: u16| {
        operation
            .responses
            .as_ref()
            .is_some_and(|r| r.responses.contains_key(&StatusCode::Code(status)))
    };
    let schema = ctx.schema.subschema_for::<AuthErrorBody>();
    refusals(requirement)
        .into_iter()
        .filter(|(status, _)| !documented(*status))
        .map(|(status, description)| {
            let body = MediaType {
                schema: Some(SchemaObject {
                    json_schema: schema.clone(),
                    external_docs: None,
                    example: None,
                }),
                ..Default::default()
            };
            let response = Response {
                description: description.to_owned(),
                content: [("application/json".to_owned(), body)]
                    .into_iter()
                    .collect(),
                ..Default::default()
            };
            (Some(status), response)
        })
        .collect()
}

/// The statuses `requirement` can refuse with, and what each means (as the utoipa side
/// documents them).
fn refusals(requirement: &Requirement) -> Vec<(u16, &'static str)> {
    let mut out = vec![(
        401,
        "no token, or a token that is invalid, expired, revoked or of the wrong kind",
    )];
    let checks_claims = !requirement.bindings.is_empty()
        || !requirement.claims.is_empty()
        || !requirement.scope.is_empty()
        || !requirement.scope_names.is_empty();
    if checks_claims || requirement.locations.contains(&TokenLocation::Cookie) {
        out.push((
            403,
            "the token does not meet this route's requirement, or a cross-site request \
             carried a cookie token",
        ));
    }
    let bearer_and_api_key = requirement.accepts(Credential::ApiKey)
        && requirement
            .accepted_credentials()
            .iter()
            .any(|c| c.is_bearer());
    if requirement.locations.len() > 1 || bearer_and_api_key {
        out.push((400, "more than one credential in the request"));
    }
    out.push((
        503,
        "the token store cannot answer; retry after the `Retry-After` delay",
    ));
    out
}
