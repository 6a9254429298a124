use auth_runtime::require_token;

#[require_token(claims(org()))]
async fn handler() {}

fn main() {
    let _ = handler;
}
