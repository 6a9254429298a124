use auth_runtime::require_token;

#[require_token(scope(org(id = 1, id = 2)))]
async fn handler() {}

fn main() {
    let _ = handler;
}
