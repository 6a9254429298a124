//! The compile-time contract of `#[require_token]`: each `ui/<what-is-wrong>.rs` must fail
//! with exactly the messages in its `.stderr`, and each `pass/*.rs` must compile.
//! Regenerate expectations with `TRYBUILD=overwrite cargo test -p auth-tests --test ui`
//! and read the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
    t.pass("pass/*.rs");
}
