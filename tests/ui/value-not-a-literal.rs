use auth_runtime::require_token;

const ROLE: &str = "admin";

#[require_token(claims(role = ROLE))]
async fn handler() {}

fn main() {
    let _ = (handler, ROLE);
}
