use auth_runtime::require_token;

#[require_token(kind = "refesh", fersh, claims(exp = 1), sub = "{username}")]
async fn handler() {}

fn main() {
    let _ = handler;
}
