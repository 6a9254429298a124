//! Entities named by the token: the token carries an entity's id (`sub`) and its table
//! (the `table_name` claim), and [`CurrentUser<Entity<E>>`](crate::CurrentUser) loads it
//! (flask-jwt-router's `entity_models`, through [`LoadUser`]).
//!
//! ```
//! use auth_runtime::{AuthManager, CurrentUser, Entity, EntityModel, TABLE_CLAIM, require_token};
//!
//! #[derive(Clone)]
//! struct Db;
//!
//! struct Teacher {
//!     id: u64,
//!     name: String,
//! }
//!
//! impl EntityModel<Db> for Teacher {
//!     const TABLE: &'static str = "teachers";
//!
//!     async fn find(id: &str, _db: &Db) -> Option<Self> {
//!         let id: u64 = id.parse().ok()?;
//!         (id == 1).then(|| Teacher { id, name: "Ada".into() })
//!     }
//! }
//!
//! // At login: the entity's id and table in the token.
//! fn token(auth: &AuthManager, teacher: &Teacher) -> String {
//!     auth.auth_token(teacher.id.to_string())
//!         .claim(TABLE_CLAIM, Teacher::TABLE)
//!         .sign()
//!         .expect("signing key configured")
//! }
//!
//! #[require_token]
//! async fn me(CurrentUser(Entity(teacher)): CurrentUser<Entity<Teacher>>) -> String {
//!     teacher.name
//! }
//! # let _app: axum::Router<Db> = axum::Router::new().route("/me", axum::routing::get(me));
//! ```
//!
//! A token of another table, or whose entity is not found, is refused with 401
//! `invalid_token` ([`AuthError::UnknownEntity`]; flask-jwt-router answers such a token
//! with 500, or with 200 as nobody). That refusal is the default response: a loader sees
//! the token and the state, not the manager's `on_error` hook.

use super::{response::AuthRejection, user::LoadUser};
use crate::{error::AuthError, token::CurrentToken};

/// The claim that names the entity's table in a token (flask-jwt-router's `table_name`).
pub const TABLE_CLAIM: &str = "table_name";

/// An application entity a token can name: its table, and how to find one by id.
pub trait EntityModel<S>: Sized + Send {
    /// The table name tokens carry in [`TABLE_CLAIM`] for this entity.
    const TABLE: &'static str;

    /// The entity whose id is `id` (the token's `sub`), or `None` when there is none. A
    /// lookup that can fail in other ways implements [`LoadUser`] itself.
    fn find(id: &str, state: &S) -> impl Future<Output = Option<Self>> + Send;
}

/// The entity the token names, loaded through [`EntityModel`]: take
/// `CurrentUser<Entity<E>>` in a handler.
#[derive(Debug, Clone)]
pub struct Entity<E>(pub E);

impl<S, E> LoadUser<S> for Entity<E>
where
    S: Sync,
    E: EntityModel<S>,
{
    type Rejection = AuthRejection;

    async fn load(token: &CurrentToken, state: &S) -> Result<Self, Self::Rejection> {
        let table = token.claim(TABLE_CLAIM).and_then(|t| t.as_str());
        let found = match table {
            Some(table) if table == E::TABLE => E::find(token.sub(), state).await,
            _ => None,
        };
        found
            .map(Entity)
            .ok_or_else(|| AuthRejection::new(AuthError::UnknownEntity, None))
    }
}
