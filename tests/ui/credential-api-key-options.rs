use auth_runtime::require_token;

#[require_token(credential = "api_key", kind = "refresh")]
async fn refresh_with_a_key() {}

#[require_token(credential = ["api_key", "jwt"], fresh)]
async fn fresh_key() {}

#[require_token(credential = "api_key", location = "cookie")]
async fn key_in_a_cookie() {}

fn main() {
    let _ = (refresh_with_a_key, fresh_key, key_in_a_cookie);
}
