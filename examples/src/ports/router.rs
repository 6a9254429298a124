//! flask-jwt-router's README example: every route of the app is protected, except an
//! allow-list under the API name and ignored pages; the token names the entity (its id
//! and table), which is loaded for the handler; tokens also travel as `?auth=`.
//!
//! Deny by default twice over: the [`ProtectAllLayer`] refuses anonymous requests to
//! every route and path not listed (unknown paths under `/api/v1` answer 401, never 200),
//! and [`auth_runtime::routing`] refuses to compile a handler that declares neither
//! `#[require_token]` nor `#[public]`.
//!
//! | route | answers |
//! |---|---|
//! | `GET /` | 200 (no auth at all) |
//! | `POST /api/v1/register` `{"name"}` | 200 `{"message": "User successfully created.", "token"}` |
//! | `POST /api/v1/login` `{"name"}` | 200 `{"data": {"id","name"}, "token"}`; 401 for an unknown name |
//! | `GET /api/v1/me` (token) | 200 `{"data": {"id","name"}}`; a token naming no user 401 |
//! | `GET /api/v1/cars` (token in the header or `?auth=`) | 200 `{"cars": [...]}`; 401 without |
//! | any other path under `/api/v1` | 401 without a token |

use std::{
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use auth_runtime::{
    AuthManager, ConfigError, CurrentUser, Entity, EntityModel, ProtectAllLayer, TABLE_CLAIM,
    TokenLocation, public, require_token,
    routing::{Router, get, post},
};
use axum::{
    Extension, Json,
    extract::State,
    http::{HeaderValue, Method, StatusCode, header::WWW_AUTHENTICATE},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::{Value, json};

/// The API name: the prefix of every API route and of the allow-list.
pub const API_NAME: &str = "/api/v1";

/// How long tokens last when `AUTH_AUTH_MAX_AGE` is not set: flask-jwt-router's 30 days.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// A registered user: the entity the example's tokens name.
#[derive(Debug, Clone)]
pub struct User {
    id: u64,
    name: String,
}

impl User {
    fn data(&self) -> Value {
        json!({"id": self.id, "name": self.name})
    }
}

/// The user table, in memory: the router's state.
#[derive(Debug, Clone, Default)]
pub struct Users(Arc<Mutex<Vec<User>>>);

impl Users {
    fn with<T>(&self, f: impl FnOnce(&mut Vec<User>) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl EntityModel<Users> for User {
    const TABLE: &'static str = "users";

    async fn find(id: &str, users: &Users) -> Option<Self> {
        let id: u64 = id.parse().ok()?;
        users.with(|all| all.iter().find(|u| u.id == id).cloned())
    }
}

/// The manager from `AUTH_*` variables: `AUTH_ISSUER` defaults to `router`,
/// `AUTH_AUTH_MAX_AGE` to 30 days; tokens are read from the `Authorization` header and
/// from the `auth` query parameter.
pub fn manager_from_env(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<AuthManager, ConfigError> {
    use auth_runtime::config::env::{AUTH_MAX_AGE, ISSUER};
    let lifetime = DEFAULT_TOKEN_LIFETIME.as_secs().to_string();
    crate::serve::builder_from_env(lookup, &[(ISSUER, "router"), (AUTH_MAX_AGE, &lifetime)])?
        .query_parameter("auth")
        .token_locations([TokenLocation::Header, TokenLocation::Query])
        .build()
}

#[derive(Deserialize)]
struct Name {
    name: String,
}

/// A token naming `user`: its id as `sub`, its table as `table_name`.
fn token_for(auth: &AuthManager, user: &User) -> Result<String, StatusCode> {
    auth.auth_token(user.id.to_string())
        .claim(TABLE_CLAIM, <User as EntityModel<Users>>::TABLE)
        .sign()
        .map_err(|e| {
            tracing::error!("cannot sign a token: {e}");
            StatusCode::INTERNAL_SERVER_ERROR
        })
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let mut response = (status, Json(json!({"error": code, "message": message}))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"router\""),
        );
    }
    response
}

#[public]
async fn index() -> Json<Value> {
    Json(json!({"message": "Welcome! The API is under /api/v1."}))
}

#[public]
async fn register(
    Extension(auth): Extension<AuthManager>,
    State(users): State<Users>,
    Json(body): Json<Name>,
) -> Result<Json<Value>, Response> {
    let user = users.with(|all| {
        if all.iter().any(|u| u.name == body.name) {
            return None;
        }
        let user = User {
            id: all.len() as u64 + 1,
            name: body.name,
        };
        all.push(user.clone());
        Some(user)
    });
    let Some(user) = user else {
        return Err(error(
            StatusCode::CONFLICT,
            "name_taken",
            "a user of this name exists",
        ));
    };
    let token = token_for(&auth, &user).map_err(IntoResponse::into_response)?;
    Ok(Json(
        json!({"message": "User successfully created.", "token": token}),
    ))
}

#[public]
async fn login(
    Extension(auth): Extension<AuthManager>,
    State(users): State<Users>,
    Json(body): Json<Name>,
) -> Result<Json<Value>, Response> {
    let Some(user) = users.with(|all| all.iter().find(|u| u.name == body.name).cloned()) else {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "unknown user",
        ));
    };
    let token = token_for(&auth, &user).map_err(IntoResponse::into_response)?;
    Ok(Json(json!({"data": user.data(), "token": token})))
}

#[require_token]
async fn me(CurrentUser(Entity(user)): CurrentUser<Entity<User>>) -> Json<Value> {
    Json(json!({"data": user.data()}))
}

#[require_token]
async fn cars() -> Json<Value> {
    Json(json!({"cars": ["Ford Model T", "Citroën DS", "Mini"]}))
}

/// The protect-all layer of the example: `POST /api/v1/register` and
/// `POST /api/v1/login` allowed, `GET /` ignored.
pub fn protect_all() -> ProtectAllLayer {
    ProtectAllLayer::new()
        .api_name(API_NAME)
        .allow(Method::POST, "/register")
        .allow(Method::POST, "/login")
        .ignore(Method::GET, "/")
}

/// The example's routes with their deny-by-default layer, `manager` installed and an
/// empty user table: checked, ready to serve. [`routes`] is the same before the checks.
pub fn app(manager: AuthManager) -> axum::Router {
    routes(manager).into_router()
}

/// The example's routes, layers and state, as the deny-by-default [`Router`] that lists
/// them (for `auth_runtime::testing`).
pub fn routes(manager: AuthManager) -> Router {
    let api = Router::new()
        .route("/register", post(register))
        .route("/login", post(login))
        .route("/me", get(me))
        .route("/cars", get(cars));
    Router::new()
        .route("/", get(index))
        .nest(API_NAME, api)
        .layer(protect_all())
        .layer(Extension(manager))
        .with_state(Users::default())
}
