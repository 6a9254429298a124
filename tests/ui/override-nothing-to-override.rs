use auth_runtime::require_token;

#[require_token(override(admin = true))]
async fn handler() {}

fn main() {
    let _ = handler;
}
