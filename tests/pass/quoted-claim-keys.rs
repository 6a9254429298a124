//! A quoted binding key is taken as written: a claim really named `sbu` or `kidn` can be
//! bound, although the unquoted keys would be refused as near misses.
use auth_runtime::require_token;
use axum::{Router, extract::Path, routing::get};

#[require_token("sbu" = "a", "kidn" = "b")]
async fn odd_claims(Path((a, b)): Path<(String, String)>) -> String {
    format!("{a}{b}")
}

fn main() {
    let _app: Router = Router::new().route("/{a}/{b}", get(odd_claims));
}
