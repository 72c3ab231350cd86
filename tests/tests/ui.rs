//! Compile-time behaviour of `cors_policy!`: every error it reports (with its exact
//! message and span, in `tests/ui/**/*.stderr`) and every form it accepts.
//!
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test -p
//! cors-policy-tests --test ui`, then read them.

#[test]
fn ui() {
    // trybuild builds each case in its own crate under `target/tests/trybuild`; the macro
    // resolves `file = "..."` against this directory instead (dtolnay/trybuild#202).
    std::env::set_var("CORS_POLICY_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"));
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.compile_fail("ui/fail-file/*.rs");
    t.pass("ui/pass/*.rs");
}
