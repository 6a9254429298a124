//! The expansion names only absolute paths: shadowing the prelude, `core`, `std` and the
//! runtime's own type names around it changes nothing.
#![allow(dead_code, non_camel_case_types)]

mod shadowing {
    use ::auth_runtime::require_token;

    mod core {}
    mod std {}
    use ::std as auth_runtime;
    struct String;
    struct Option;
    struct Result;
    struct Vec;
    struct Guard;
    struct Requirement;
    struct Entry;
    struct Expected;
    struct PathBinding;
    struct TokenKind;
    struct TokenLocation;
    trait RequirementSpec {}

    #[require_token(
        kind = "auth",
        sub = "username",
        claims(a = "b", n = [1, 2], m(x = true)),
        scope(admin = true, "read"),
        override(admin = true),
        location = "header"
    )]
    pub async fn handler() -> &'static str {
        let _ = auth_runtime::mem::size_of::<u8>();
        "ok"
    }
}

fn main() {
    let _app: axum::Router = axum::Router::new().route("/{username}", axum::routing::get(shadowing::handler));
}
