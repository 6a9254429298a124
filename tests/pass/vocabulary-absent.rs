//! Without a vocabulary in scope nothing is checked: any names compile as before, and a
//! vocabulary declared in one module does not reach a sibling.
#![allow(dead_code)]

use auth_runtime::require_token;

#[require_token(scope("users:raed"), claims(tenat = "t1", level = "3", org(idd = 7)), override(admn = true))]
async fn unchecked() {}

mod declared {
    auth_runtime::vocabulary! {
        pub const VOCABULARY = { scopes: ["users:read"] };
    }
}

mod sibling {
    use auth_runtime::require_token;

    #[require_token(scope("anything:at:all"), flag = "param")]
    pub async fn free(axum::extract::Path(param): axum::extract::Path<String>) -> String {
        param
    }
}

fn main() {
    let _ = (unchecked, sibling::free);
}
