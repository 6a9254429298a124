use auth_runtime::require_token;
use axum::extract::Path;

auth_runtime::vocabulary! {
    const VOCABULARY = {
        scopes: ["users:read", "users:write", "admin"],
        claims: { tenant: String, level: i64, roles: [String], org: { id: i64, name: String }, verified: bool },
    };
}

#[require_token(verified = "flag")]
async fn handler(Path(flag): Path<String>) -> String {
    flag
}

fn main() {
    let _ = handler;
}
