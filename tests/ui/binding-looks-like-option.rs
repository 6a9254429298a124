use auth_runtime::require_token;

#[require_token(kidn = "refresh")]
async fn handler() {}

fn main() {
    let _ = handler;
}
