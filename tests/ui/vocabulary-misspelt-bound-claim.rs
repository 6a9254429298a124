use auth_runtime::require_token;
use axum::extract::Path;

auth_runtime::vocabulary! {
    const VOCABULARY = {
        scopes: ["users:read", "users:write", "admin"],
        claims: { tenant: String, level: i64, roles: [String], org: { id: i64, name: String }, verified: bool },
    };
}

#[require_token(tenat = "tenant")]
async fn handler(Path(tenant): Path<String>) -> String {
    tenant
}

fn main() {
    let _ = handler;
}
