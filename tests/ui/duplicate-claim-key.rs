use auth_runtime::require_token;

#[require_token(claims(team = "a", team = "b"))]
async fn handler() {}

fn main() {
    let _ = handler;
}
