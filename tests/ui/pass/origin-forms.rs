//! Every origin form, in `static` and `const`, in a crate that denies warnings.
#![deny(warnings)]

use std::borrow::Cow;

use cors_policy::table::PortPattern;
use cors_policy::Policy;
use cors_policy::cors_policy;

static EXACT: Policy = cors_policy! {
    origins: ["https://app.example.com", "http://localhost:8080"],
    credentials: true,
    methods: [PUT, "DELETE"],
    allow_headers: ["Authorization", "X-Request-Id"],
    expose_headers: ["X-Request-Id"],
    max_age: 600,
};

const SUBDOMAINS: Policy = cors_policy! {
    origins: ["https://*.example.com"],
    credentials: true,
};

static ANY_PORT: Policy = cors_policy! {
    origins: ["http://localhost:*"],
};

const REGEX: Policy = cors_policy! {
    origins: [regex(r"^https://(eu|us)-[0-9]+\.example\.com$")],
    credentials: true,
};

static ANY: Policy = cors_policy! {
    origins: "*",
    methods: "*",
    expose_headers: "*",
    max_age: 0,
};

fn main() {
    assert!(matches!(EXACT.exact_origins, Cow::Borrowed(_)));
    assert!(EXACT.exact_origins.iter().any(|o| o == "https://app.example.com"));
    assert!(EXACT.exact_origins.iter().any(|o| o == "http://localhost:8080"));
    assert!(EXACT.credentials);
    assert!(EXACT.methods.iter().any(|m| m == "PUT"));
    assert!(EXACT.allow_headers.iter().any(|h| h == "authorization"));
    assert_eq!(EXACT.max_age.as_deref(), Some("600"));

    let sub = &SUBDOMAINS.host_patterns[0];
    assert_eq!((&*sub.scheme, &*sub.host, sub.subdomains), ("https", "example.com", true));
    assert_eq!(sub.port, PortPattern::Default);

    let port = &ANY_PORT.host_patterns[0];
    assert_eq!((&*port.host, port.subdomains, port.port), ("localhost", false, PortPattern::Any));

    assert_eq!(REGEX.regexes.len(), 1);
    assert_eq!(&*REGEX.regexes[0].source, r"^https://(eu|us)-[0-9]+\.example\.com$");
    // The embedded DFA is aligned and deserializes on this target.
    let bytes = REGEX.regexes[0].dfa.as_bytes();
    assert_eq!(bytes.as_ptr() as usize % 4, 0);

    assert!(ANY.any_origin && ANY.any_method && !ANY.credentials);
}
