use auth_runtime::require_token;

#[require_token(sub = "a", sub = "b")]
async fn handler() {}

fn main() {
    let _ = handler;
}
