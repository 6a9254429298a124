use auth_runtime::require_token;

#[require_token]
fn handler() {}

fn main() {
    let _ = handler;
}
