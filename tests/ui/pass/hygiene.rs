//! The expansion names everything by absolute path: it works without the prelude and
//! next to user items that shadow the names it uses.
#![no_implicit_prelude]
#![deny(warnings)]

#[allow(dead_code)]
mod core {}
#[allow(dead_code)]
struct Cow;
#[allow(dead_code)]
struct Option;
#[allow(dead_code)]
struct AlignAs;
#[allow(dead_code, non_upper_case_globals)]
const CorsPolicyWarning: () = ();

#[allow(deprecated)] // the duplicate entry below is a warning, emitted as `deprecated`
static INLINE: ::cors_policy::Policy = ::cors_policy::cors_policy! {
    origins: [
        "https://app.example.com",
        "https://app.example.com",
        regex(r"^https://(eu|us)-[0-9]+\.example\.com$"),
    ],
    max_age: 60,
};

const FROM_FILE: ::cors_policy::Policy =
    ::cors_policy::cors_policy!(file = "fixtures/api.yaml");

fn main() {
    ::std::assert_eq!(INLINE.regexes.len(), 1);
    ::std::assert!(FROM_FILE.credentials);
}
