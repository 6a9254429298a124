use auth_runtime::require_token;

#[require_token(kind = "refresh", scope(admin = true))]
async fn handler() {}

fn main() {
    let _ = handler;
}
