use auth_runtime::require_token;

#[require_token(claims(ratio = 1.5))]
async fn handler() {}

fn main() {
    let _ = handler;
}
