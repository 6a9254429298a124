use auth_runtime::require_token;

#[require_token(claims(exp = 0))]
async fn handler() {}

fn main() {
    let _ = handler;
}
