use auth_runtime::require_token;

#[require_token(fresh)]
#[require_token(scope(admin = true))]
async fn change_password() {}

fn main() {
    let _ = change_password;
}
