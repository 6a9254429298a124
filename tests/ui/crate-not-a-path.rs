use auth_runtime::require_token;

#[require_token(crate = "not a path")]
async fn handler() {}

fn main() {
    let _ = handler;
}
