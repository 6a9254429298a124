use auth_runtime::require_token;

#[require_token(location = "cookies")]
async fn handler() {}

fn main() {
    let _ = handler;
}
