//! The macro's output is lint-clean in a strict crate: it names everything by absolute
//! path, relies on no import of the user's, and trips no rustc or clippy lint (checked
//! by `cargo clippy --all-targets` as well as by the compiler).
#![deny(
    warnings,
    clippy::all,
    clippy::pedantic,
    unused_qualifications,
    missing_docs
)]
#![deny(unused_results, unreachable_pub, trivial_casts, trivial_numeric_casts)]

use cors_policy::cors_policy;
use cors_policy::Policy;

/// Every kind of table at once: exact origins, patterns, a regex, names, headers.
static FULL: Policy = cors_policy! {
    origins: [
        "https://app.example.org",
        "https://*.example.com",
        "http://localhost:*",
        regex(r"^https://(eu|us)-[0-9]+\.example\.com$"),
    ],
    credentials: true,
    methods: [PUT, DELETE],
    allow_headers: ["authorization", "content-type"],
    expose_headers: ["x-request-id"],
    max_age: 600,
    allow_private_network: true,
};

/// The same from a file, in a `const`.
const FROM_FILE: Policy = cors_policy!(file = "fixtures/multi.yaml", policy = "app");

#[test]
fn strict_crate_accepts_the_expansion() {
    assert_eq!(FULL.regexes.len(), 1);
    assert!(FULL.allow_private_network);
    assert_eq!(FROM_FILE.name.as_deref(), Some("app"));
}
