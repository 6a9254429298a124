use auth_runtime::require_token;

#[require_token(location = ["header", "header"])]
async fn handler() {}

fn main() {
    let _ = handler;
}
