//! Helpers shared by the HTTP tests: keys and managers (`keys`), hand-made and issued
//! tokens (`tokens`), a real server with a raw HTTP/1.1 client (`server`), and captured
//! log lines (`logs`).

#![allow(dead_code, unreachable_pub, unused_imports)]

mod keys;
mod logs;
mod server;
mod tokens;

pub use keys::*;
pub use logs::*;
pub use server::*;
pub use tokens::*;
