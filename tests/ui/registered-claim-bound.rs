use auth_runtime::require_token;

#[require_token(iss = "issuer")]
async fn handler() {}

fn main() {
    let _ = handler;
}
