use auth_runtime::require_token;

#[require_token(sub = "username", claims(sub = "alice"))]
async fn handler() {}

fn main() {
    let _ = handler;
}
