//! OpenAPI through aide (feature `aide`): guarded handlers register with an `ApiRouter`,
//! the spec aide generates carries each guard's security and refusals (and those of
//! `CurrentToken` on a route no guard protects), and what the spec documents is what the
//! server enforces.

mod common;

use aide::{
    axum::{
        ApiRouter,
        routing::{get, post},
    },
    openapi::OpenApi,
};
use auth_runtime::{CurrentToken, openapi::aide::security_schemes, public, require_token};
use axum::{Router, extract::Path};
use common::*;
use serde_json::{Value, json};

#[require_token(scope("users:read"))]
async fn users() -> String {
    "alice".to_owned()
}

#[require_token(sub = "username", override(admin = true))]
async fn profile(Path(username): Path<String>) -> String {
    username
}

#[require_token(claims(role = "editor"))]
async fn create_item() -> &'static str {
    "created"
}

#[require_token(optional)]
async fn home(token: Option<CurrentToken>) -> String {
    token.map_or("anonymous".to_owned(), |t| t.sub().to_owned())
}

#[require_token(credential = "api_key", scope("reports:read"))]
async fn api_report() -> &'static str {
    "report"
}

#[require_token(credential = ["api_key", "jwt"])]
async fn either(token: CurrentToken) -> String {
    token.credential().to_string()
}

#[require_token(location = "cookie", scope("pages"))]
async fn page(token: CurrentToken) -> String {
    token.sub().to_owned()
}

/// No guard: the extractor verifies on its own, and documents that.
async fn me(token: CurrentToken) -> String {
    token.sub().to_owned()
}

#[public]
async fn health() -> &'static str {
    "ok"
}

/// The router and the spec it generates. aide's own complaints (a response documented
/// twice, say) fail the test.
fn app() -> (Router, Value) {
    aide::generate::on_error(|error| panic!("aide: {error}"));
    let mut api = OpenApi::default();
    let router = ApiRouter::new()
        .api_route("/users", get(users))
        .api_route("/users/{username}", get(profile))
        .api_route(
            "/items",
            post(create_item).get_with(users, |op| op.summary("the same rule as /users")),
        )
        .api_route("/home", get(home))
        .api_route("/page", get(page))
        .api_route("/api/report", get(api_report))
        .api_route("/either", get(either))
        .api_route("/me", get(me))
        .api_route("/health", get(health))
        .finish_api_with(&mut api, |api| security_schemes(api.title("shop")));
    let spec = serde_json::to_value(&api).expect("spec as JSON");
    (router, spec)
}

#[test]
fn the_spec_carries_each_guards_security_and_refusals() {
    let (_, spec) = app();
    let users = operation(&spec, "/users", "get");
    assert_eq!(users["security"], json!([{"bearer": ["users:read"]}]));
    assert_eq!(statuses(users), ["200", "401", "403", "503"]);
    assert_eq!(
        users["responses"]["401"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/AuthErrorBody"
    );
    assert!(spec["components"]["schemas"]["AuthErrorBody"].is_object());

    let profile = operation(&spec, "/users/{username}", "get");
    assert_eq!(profile["security"], json!([{"bearer": []}]));
    assert_eq!(statuses(profile), ["200", "401", "403", "503"]);

    let items = operation(&spec, "/items", "post");
    assert_eq!(statuses(items), ["200", "401", "403", "503"]);
    let items_get = operation(&spec, "/items", "get");
    assert_eq!(items_get["security"], users["security"]);
    assert_eq!(items_get["summary"], "the same rule as /users");

    // Optional: anonymous is documented as allowed, and nothing is listed twice by the
    // guard and the `Option<CurrentToken>` behind it.
    let home = operation(&spec, "/home", "get");
    assert_eq!(home["security"], json!([{}, {"bearer": []}]));
    assert_eq!(statuses(home), ["200", "401", "503"]);

    // A cookie route: its scheme, and 403 for CSRF; `CurrentToken` behind the guard adds
    // nothing of its own.
    let page = operation(&spec, "/page", "get");
    assert_eq!(page["security"], json!([{"cookie": ["pages"]}]));
    assert_eq!(statuses(page), ["200", "401", "403", "503"]);

    // No guard: `CurrentToken` documents what it enforces on its own.
    let me = operation(&spec, "/me", "get");
    assert_eq!(me["security"], json!([{"bearer": []}]));
    assert_eq!(statuses(me), ["200", "401", "503"]);

    let health = operation(&spec, "/health", "get");
    assert!(health.get("security").is_none(), "{health}");
    assert_eq!(statuses(health), ["200"]);

    let schemes = &spec["components"]["securitySchemes"];
    assert_eq!(
        schemes["bearer"],
        json!({"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    );
    assert_eq!(
        schemes["cookie"],
        json!({"type": "apiKey", "in": "cookie", "name": "auth_token"})
    );
    assert_eq!(
        schemes["query"],
        json!({"type": "apiKey", "in": "query", "name": "access_token"})
    );

    assert_api_key_routes_documented(&spec);
}

#[tokio::test]
async fn what_the_spec_documents_is_what_the_server_enforces() {
    let m = manager();
    let (router, spec) = app();
    let s = TestServer::start(router, m.clone()).await;
    let checked = assert_documented_is_enforced(&spec, &s, &m, &["/items"]).await;
    assert_eq!(checked, 10);
}
