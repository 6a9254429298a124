use auth_runtime::require_token;

#[require_token]
struct Handler;

fn main() {
    let _ = Handler;
}
