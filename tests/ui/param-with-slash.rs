use auth_runtime::require_token;

#[require_token(sub = "user/name")]
async fn handler() {}

fn main() {
    let _ = handler;
}
