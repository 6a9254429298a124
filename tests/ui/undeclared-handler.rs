use auth_runtime::routing::{Router, get};

async fn forgot() -> &'static str {
    "open to anyone, by accident"
}

fn main() {
    let _app: Router = Router::new().route("/forgot", get(forgot));
}
