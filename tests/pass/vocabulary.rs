//! A crate-wide vocabulary, a module's own, one brought in from elsewhere: every name
//! declared, every value of its declared type.
#![allow(dead_code)]

use auth_runtime::{CurrentToken, require_token};
use axum::{Router, extract::Path, routing::get};

auth_runtime::vocabulary! {
    /// The names this crate's tokens use.
    pub const VOCABULARY = {
        scopes: ["users:read", "users:write", "admin"],
        claims: {
            tenant: String,
            level: i64,
            roles: [String],
            teams: Vec<u32>,
            org: { id: i64, name: String },
            verified: bool,
            "x-flags": Json,
            extra: serde_json::Value,
        },
    };
}

#[require_token(
    tenant = "tenant",
    claims(level = 3, roles = "editor", teams = [1, 2], org(id = 7, name = "acme"), verified = true),
    scope("users:read", admin = true),
    override(admin = true)
)]
async fn everything(Path(tenant): Path<String>, token: CurrentToken) -> String {
    format!("{tenant} {}", token.sub())
}

#[require_token(sub = "user", claims("x-flags" = "on", extra(anything = ["goes"])), override(verified = true))]
async fn any_json(Path(user): Path<String>) -> String {
    user
}

/// Routes in a child module use the crate root's vocabulary.
mod child {
    use auth_runtime::require_token;

    #[require_token(scope("users:write"), claims(roles = ["editor", "viewer"]))]
    pub async fn write() {}

    /// A module's own vocabulary takes precedence in it.
    pub mod billing {
        use auth_runtime::require_token;

        auth_runtime::vocabulary! {
            pub const VOCABULARY = { scopes: ["invoices:read"], claims: { account: i64 } };
        }

        #[require_token(scope("invoices:read"), claims(account = 42))]
        pub async fn invoices() {}
    }
}

/// A vocabulary declared elsewhere, brought in by name.
mod reports {
    use auth_runtime::require_token;

    auth_runtime::vocabulary! { use crate::child::billing::VOCABULARY; }

    #[require_token(scope("invoices:read"))]
    pub async fn report() {}
}

/// The same, by a glob import of the module that declares it.
mod exports {
    use crate::child::billing::*;
    use auth_runtime::require_token;

    #[require_token(claims(account = 1))]
    pub async fn export() {}
}

struct Api;

#[require_token]
impl Api {
    #[require_token(scope("admin"), claims(org(id = 1)))]
    async fn admin() {}
}

fn main() {
    let _app: Router = Router::new()
        .route("/{tenant}", get(everything))
        .route("/users/{user}", get(any_json))
        .route("/write", get(child::write))
        .route("/invoices", get(child::billing::invoices))
        .route("/report", get(reports::report))
        .route("/export", get(exports::export))
        .route("/admin", get(Api::admin));
    let _ = VOCABULARY.scopes();
}
