//! The utoipa side: the security schemes the rewritten `#[utoipa::path]` names.

use utoipa::{
    Modify,
    openapi::{
        OpenApi,
        security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};

/// Registers the security schemes the guards' requirements name: `bearer` (HTTP bearer,
/// JWT or opaque token), `cookie` (the `auth_token` cookie), `query` (the `access_token`
/// parameter) and `api_key` (the `X-API-Key` header).
/// Use it in `#[openapi(modifiers(&SecuritySchemes))]`; with other cookie or parameter
/// names, register your own schemes under the same three names.
#[derive(Debug, Clone, Copy, Default)]
pub struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("auth_token"))),
        );
        components.add_security_scheme(
            "query",
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::new("access_token"))),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
        );
    }
}
