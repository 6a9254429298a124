use auth_runtime::require_token;

#[require_token(sub = "{username}")]
async fn handler() {}

fn main() {
    let _ = handler;
}
