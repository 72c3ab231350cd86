//! The file forms, in `static` and `const`.
#![deny(warnings)]

use cors_policy::Policy;
use cors_policy::cors_policy;

static ONE: Policy = cors_policy!(file = "fixtures/api.yaml");
const APP: Policy = cors_policy!(file = "fixtures/multi.yaml", policy = "app");
static PUBLIC: Policy = cors_policy!(policy = "public", file = "fixtures/multi.yaml",);

fn main() {
    // What a policy allows, through its accessors.
    assert!(ONE.credentials());
    assert_eq!(
        ONE.origin_regexes().collect::<Vec<_>>(),
        [r"^https://(eu|us)-[0-9]+\.example\.com$"]
    );
    assert_eq!(ONE.exact_origins().collect::<Vec<_>>(), ["https://app.example.org"]);
    assert_eq!(ONE.origin_patterns().len(), 2);
    assert_eq!(ONE.methods().collect::<Vec<_>>(), ["DELETE", "PUT"]);
    assert_eq!(ONE.allow_headers().collect::<Vec<_>>(), ["authorization", "content-type"]);
    assert_eq!(ONE.expose_headers(), Some("x-request-id"));
    assert_eq!(ONE.max_age(), Some(600));
    assert!(!ONE.allows_any_method() && !ONE.allows_any_header());
    assert!(!ONE.allows_private_network());
    assert_eq!(ONE.name(), None);
    assert_eq!(APP.name(), Some("app"));
    assert!(APP.credentials() && !APP.allows_any_origin());
    assert_eq!(PUBLIC.name(), Some("public"));
    assert!(PUBLIC.allows_any_origin() && !PUBLIC.credentials());
    assert_eq!(PUBLIC.max_age(), None);
}
