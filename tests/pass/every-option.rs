//! Every option at once, with the extractors and return types handlers use, in a router
//! with its own state type.
use auth_runtime::{CurrentToken, require_token};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    routing::{get, post},
};

#[derive(Clone)]
pub struct AppState;

/// Docs stay on the handler.
#[require_token(
    sub = "username",
    "org-id" = "org",
    claims(custom = "v", roles = ["a", "b"], level = -3, nested(deep(flag = true)), "x-y" = 1),
    scope(admin = true, "users:read", "users:write"),
    override(admin = true, org(id = 7)),
    fresh,
    location = ["header", "cookie", "query"],
    credential = ["jwt", "opaque"],
)]
pub async fn everything(
    State(_state): State<AppState>,
    Path((org, username)): Path<(String, String)>,
    token: CurrentToken,
    Json(body): Json<serde_json::Value>,
) -> Result<Json<serde_json::Value>, StatusCode> {
    Ok(Json(serde_json::json!([org, username, token.sub(), body])))
}

#[require_token(kind = "refresh", optional, location = "cookie")]
async fn refresh(token: Option<CurrentToken>) -> impl axum::response::IntoResponse {
    token.map(|t| t.sub().to_owned()).unwrap_or_default()
}

fn main() {
    let _app: Router = Router::new()
        .route("/orgs/{org}/users/{username}", post(everything))
        .route("/refresh", get(refresh))
        .with_state(AppState);
}
