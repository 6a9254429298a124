use auth_runtime::public;

#[public(optional)]
async fn health() -> &'static str {
    "ok"
}

fn main() {}
