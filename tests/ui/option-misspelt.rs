use auth_runtime::require_token;

#[require_token(fersh)]
async fn handler() {}

fn main() {
    let _ = handler;
}
