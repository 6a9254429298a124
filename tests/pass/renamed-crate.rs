//! `crate = "..."` for applications that rename the dependency.
extern crate auth_runtime as my_auth;

#[my_auth::require_token(crate = "my_auth", sub = "username")]
async fn handler(axum::extract::Path(username): axum::extract::Path<String>) -> String {
    username
}

fn main() {
    let _app: axum::Router = axum::Router::new().route("/{username}", axum::routing::get(handler));
}
