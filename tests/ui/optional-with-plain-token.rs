use auth_runtime::{require_token, CurrentToken};

#[require_token(optional)]
async fn home(token: CurrentToken) -> String {
    token.sub().to_owned()
}

fn main() {
    let _ = home;
}
