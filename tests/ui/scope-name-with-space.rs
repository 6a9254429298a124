use auth_runtime::require_token;

#[require_token(scope("users read"))]
async fn handler() {}

fn main() {
    let _ = handler;
}
