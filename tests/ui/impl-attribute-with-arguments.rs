use auth_runtime::require_token;

struct Api;

#[require_token(fresh)]
impl Api {
    #[require_token]
    async fn me() {}
}

fn main() {
    let _ = Api::me;
}
