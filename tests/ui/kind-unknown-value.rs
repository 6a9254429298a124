use auth_runtime::require_token;

#[require_token(kind = "refesh")]
async fn handler() {}

fn main() {
    let _ = handler;
}
