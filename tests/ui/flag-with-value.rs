use auth_runtime::require_token;

#[require_token(fresh = true)]
async fn handler() {}

fn main() {
    let _ = handler;
}
