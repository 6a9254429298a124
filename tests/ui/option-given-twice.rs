use auth_runtime::require_token;

#[require_token(kind = "auth", kind = "refresh")]
async fn handler() {}

fn main() {
    let _ = handler;
}
