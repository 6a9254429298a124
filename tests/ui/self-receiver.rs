use auth_runtime::require_token;

struct Handlers;

impl Handlers {
    #[require_token]
    async fn handler(self) {}
}

fn main() {
    let _ = Handlers::handler;
}
