//! Handlers as associated functions: `#[require_token]` on the `impl` block guards each
//! associated `async fn` that carries its own attribute, and leaves the others alone.
use auth_runtime::{CurrentToken, require_token};
use axum::{Router, extract::Path, routing::get};

struct Api;

#[require_token]
impl Api {
    #[require_token]
    pub async fn me(token: CurrentToken) -> String {
        token.sub().to_owned()
    }

    #[require_token(sub = "username", override(admin = true))]
    async fn profile(Path(username): Path<String>) -> String {
        username
    }

    async fn health() -> &'static str {
        "ok"
    }
}

struct Other;

#[require_token]
impl Other {
    // The same name in another impl block of the same module.
    #[require_token(fresh)]
    async fn me() {}
}

fn main() {
    let _app: Router = Router::new()
        .route("/me", get(Api::me))
        .route("/users/{username}", get(Api::profile))
        .route("/health", get(Api::health))
        .route("/other", get(Other::me));
}
