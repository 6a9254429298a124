use auth_runtime::require_token;
use axum::extract::Path;

#[require_token(sbu = "username")]
async fn profile(Path(username): Path<String>) -> String {
    username
}

fn main() {
    let _ = profile;
}
