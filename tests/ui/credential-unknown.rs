use auth_runtime::require_token;

#[require_token(credential = "apikey")]
async fn report() {}

#[require_token(credential = ["jwt", "opaque", "jwt"])]
async fn twice() {}

fn main() {
    let _ = (report, twice);
}
