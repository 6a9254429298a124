//! A vocabulary declared in one module, brought into another with `vocabulary! { use ... }`.
mod auth {
    auth_runtime::vocabulary! {
        pub const VOCABULARY = { scopes: ["orders:read"], claims: { tenant: String } };
    }
}

mod routes {
    use auth_runtime::require_token;

    auth_runtime::vocabulary! { use crate::auth::VOCABULARY; }

    #[require_token(scope("orders:raed"), claims(tennat = "t1"))]
    pub async fn handler() {}
}

fn main() {
    let _ = routes::handler;
}
