//! Configuration: the [`AuthManagerBuilder`], `from_env`, and the errors of start-up.
//!
//! Everything that can be wrong with a configuration is found by
//! [`AuthManagerBuilder::build`] (or [`AuthManager::from_env`](crate::AuthManager::from_env))
//! and reported as a [`ConfigError`] that names the setting, so a bad deployment fails at
//! start-up and not at its first request.
//!
//! Holds the builder (`builder`), the environment reader ([`env`](mod@env)) and the error
//! (`error`). The builder only collects and checks settings; the manager assembles
//! itself from them, so this module never imports the manager.
//!
//! May use: `token` (keys, locations, the revocation hook), `store`, `error` (the error
//! hook).

mod builder;
pub mod env;
mod error;
mod settings;

use std::time::Duration;

pub(crate) use self::settings::Settings;
pub use self::{builder::AuthManagerBuilder, error::ConfigError};
pub use crate::{error::ErrorHandler, token::RevocationCheck};

/// Default lifetime of auth tokens: one hour, as in Flask_PyJWT.
pub const DEFAULT_AUTH_MAX_AGE: Duration = Duration::from_secs(3600);
/// Default lifetime of refresh tokens: seven days, as in Flask_PyJWT.
pub const DEFAULT_REFRESH_MAX_AGE: Duration = Duration::from_secs(604_800);
/// Default upper bound on a token's length, checked before any decoding.
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 8 * 1024;
/// Default number of verified tokens kept in the cache.
pub const DEFAULT_CACHE_CAPACITY: usize = 4096;
/// Default time budget of one store call.
pub const DEFAULT_STORE_BUDGET: Duration = Duration::from_millis(250);
/// Default grace window of refresh rotation.
pub const DEFAULT_REFRESH_GRACE: Duration = Duration::from_secs(10);
