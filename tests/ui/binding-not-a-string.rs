use auth_runtime::require_token;

#[require_token(sub = 5)]
async fn handler() {}

fn main() {
    let _ = handler;
}
