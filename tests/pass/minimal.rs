//! The bare attribute on a handler in a plain router.
use auth_runtime::{CurrentToken, require_token};
use axum::{Router, routing::get};

#[require_token]
async fn protected(token: CurrentToken) -> String {
    token.sub().to_owned()
}

fn main() {
    let _app: Router = Router::new().route("/", get(protected));
}
