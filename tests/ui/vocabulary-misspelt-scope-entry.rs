use auth_runtime::require_token;

auth_runtime::vocabulary! {
    const VOCABULARY = {
        scopes: ["users:read", "users:write", "admin"],
        claims: { tenant: String, level: i64, roles: [String], org: { id: i64, name: String }, verified: bool },
    };
}

#[require_token(scope(admn = true))]
async fn handler() {}

fn main() {
    let _ = handler;
}
