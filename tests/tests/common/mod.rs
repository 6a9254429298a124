//! Helpers shared by the HTTP tests: keys and managers (`keys`), hand-made and issued
//! tokens (`tokens`), what an attacker does to a token and how to tell a forgery (`mutations`), a real server with a raw HTTP/1.1 client (`server`), captured log
//! lines (`logs`), documented == enforced for an OpenAPI spec (`openapi`), a real `redis-server` (`redis_server`), a headless Chromium
//! (`browser`), an RFC 7662 introspection endpoint (`auth_server`), and an identity provider publishing a JWKS and OIDC discovery (`idp`).

#![allow(dead_code, unreachable_pub, unused_imports)]

mod auth_server;
mod browser;
mod idp;
mod keys;
mod logs;
mod mutations;
mod openapi;
mod redis_server;
mod server;
mod tokens;

pub use auth_server::*;
pub use browser::*;
pub use idp::*;
pub use keys::*;
pub use logs::*;
pub use mutations::*;
pub use openapi::*;
pub use redis_server::*;
pub use server::*;
pub use tokens::*;
