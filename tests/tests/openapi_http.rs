//! OpenAPI from the declaration (feature `utoipa`): the spec utoipa generates carries each
//! guarded handler's security and refusals, the user's own responses and security are
//! kept, and what the spec documents is what the server enforces.

mod common;

use auth_runtime::{CurrentToken, openapi::SecuritySchemes, require_token};
use axum::{
    Router,
    extract::Path,
    routing::{get, post},
};
use common::*;
use serde_json::{Value, json};
use utoipa::OpenApi;

#[require_token(scope("users:read"))]
#[utoipa::path(get, path = "/users", responses((status = 200, description = "the users", body = String)))]
async fn users() -> String {
    "alice".to_owned()
}

#[require_token(sub = "username", override(admin = true))]
#[utoipa::path(
    get,
    path = "/users/{username}",
    params(("username" = String, Path, description = "whose profile")),
    responses((status = 200, body = String))
)]
async fn profile(Path(username): Path<String>) -> String {
    username
}

#[require_token(claims(role = "editor"))]
#[utoipa::path(
    post,
    path = "/items",
    responses((status = 201, description = "created"), (status = 403, description = "editors only"))
)]
async fn create_item() -> &'static str {
    "created"
}

#[require_token(scope("reports"))]
#[utoipa::path(get, path = "/reports", security(("bearer" = ["reports", "audit"])))]
async fn reports() -> &'static str {
    "reports"
}

#[require_token(optional)]
#[utoipa::path(get, path = "/home", responses((status = 200, body = String)))]
async fn home(token: Option<CurrentToken>) -> String {
    token.map_or("anonymous".to_owned(), |t| t.sub().to_owned())
}

#[require_token(credential = "api_key", scope("reports:read"))]
#[utoipa::path(get, path = "/api/report", responses((status = 200, body = String)))]
async fn api_report() -> &'static str {
    "report"
}

#[require_token(credential = ["api_key", "jwt"])]
#[utoipa::path(get, path = "/either", responses((status = 200, body = String)))]
async fn either(token: CurrentToken) -> String {
    token.credential().to_string()
}

#[require_token(location = "cookie", scope("pages"))]
#[utoipa::path(get, path = "/page", responses((status = 200, body = String)))]
async fn page() -> &'static str {
    "page"
}

#[derive(OpenApi)]
#[openapi(
    paths(users, profile, create_item, reports, home, page, api_report, either),
    modifiers(&SecuritySchemes)
)]
struct Api;

fn app() -> Router {
    Router::new()
        .route("/users", get(users))
        .route("/users/{username}", get(profile))
        .route("/items", post(create_item))
        .route("/reports", get(reports))
        .route("/home", get(home))
        .route("/page", get(page))
        .route("/api/report", get(api_report))
        .route("/either", get(either))
}

fn spec() -> Value {
    serde_json::to_value(Api::openapi()).expect("spec as JSON")
}

#[test]
fn the_spec_carries_security_and_refusals_without_repetition() {
    let spec = spec();
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
    assert_eq!(
        profile["parameters"][0]["name"], "username",
        "the user's params stay"
    );

    // The user's own 403 is kept, not duplicated or replaced.
    let items = operation(&spec, "/items", "post");
    assert_eq!(statuses(items), ["201", "401", "403", "503"]);
    assert_eq!(items["responses"]["403"]["description"], "editors only");

    // The user's own security is kept.
    let reports = operation(&spec, "/reports", "get");
    assert_eq!(
        reports["security"],
        json!([{"bearer": ["reports", "audit"]}])
    );

    // Optional: anonymous is documented as allowed.
    let home = operation(&spec, "/home", "get");
    assert_eq!(home["security"], json!([{}, {"bearer": []}]));
    assert_eq!(statuses(home), ["200", "401", "503"]);

    // A cookie route: its scheme, and 403 for CSRF.
    let page = operation(&spec, "/page", "get");
    assert_eq!(page["security"], json!([{"cookie": ["pages"]}]));
    assert!(statuses(page).contains(&"403".to_owned()));

    let schemes = &spec["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(
        schemes["cookie"],
        json!({"type": "apiKey", "in": "cookie", "name": "auth_token"})
    );
    assert_eq!(schemes["query"]["in"], "query");

    assert_api_key_routes_documented(&spec);
}

#[tokio::test]
async fn what_the_spec_documents_is_what_the_server_enforces() {
    let m = manager();
    let s = TestServer::start(app(), m.clone()).await;
    let checked = assert_documented_is_enforced(&spec(), &s, &m, &["/items"]).await;
    assert_eq!(checked, 8);
}
