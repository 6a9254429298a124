use auth_runtime::require_token;

auth_runtime::vocabulary! {
    const VOCABULARY = {
        scopes: ["users:read", "users:write", "admin"],
        claims: { tenant: String, level: i64, roles: [String], org: { id: i64, name: String }, verified: bool },
    };
}

#[require_token(claims(level = "3"))]
async fn string_for_integer() {}

#[require_token(claims(roles = ["editor", 2]))]
async fn integer_in_string_array() {}

#[require_token(claims(tenant(id = 1)))]
async fn group_for_string() {}

#[require_token(claims(verified = 1))]
async fn integer_for_bool() {}

fn main() {
    let _ = (string_for_integer, integer_in_string_array, group_for_string, integer_for_bool);
}
