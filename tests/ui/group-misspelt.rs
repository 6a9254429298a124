use auth_runtime::require_token;

#[require_token(scop(admin = true))]
async fn handler() {}

fn main() {
    let _ = handler;
}
