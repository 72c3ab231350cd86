//! The file forms, in `static` and `const`.
#![deny(warnings)]

use cors_policy::Policy;
use cors_policy::cors_policy;

static ONE: Policy = cors_policy!(file = "fixtures/api.yaml");
const APP: Policy = cors_policy!(file = "fixtures/multi.yaml", policy = "app");
static PUBLIC: Policy = cors_policy!(policy = "public", file = "fixtures/multi.yaml",);

fn main() {
    assert!(ONE.credentials);
    assert_eq!(ONE.regexes.len(), 1);
    assert!(ONE.exact_origins.iter().any(|o| o == "https://app.example.org"));
    assert_eq!(APP.name.as_deref(), Some("app"));
    assert!(APP.credentials && !APP.any_origin);
    assert_eq!(PUBLIC.name.as_deref(), Some("public"));
    assert!(PUBLIC.any_origin && !PUBLIC.credentials);
}
