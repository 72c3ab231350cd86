//! A policy built by `cors_policy!` at compile time and the same policy loaded at run
//! time with `cors_policy::from_yaml` hold the same tables and give the same decision, with
//! the same headers, for every request of a large generated table.

use std::borrow::Cow;
use std::collections::BTreeMap;

use cors_policy::cors_policy;
use cors_policy::engine::{Request, Values};
use cors_policy::table::DfaBytes;
use cors_policy::Policy;

#[path = "../../cors-policy/tests/data/decision_table.rs"]
mod decision_table;

static API_FILE: Policy = cors_policy!(file = "fixtures/api.yaml");
const APP_FILE: Policy = cors_policy!(file = "fixtures/multi.yaml", policy = "app");
static PUBLIC_FILE: Policy = cors_policy!(file = "fixtures/multi.yaml", policy = "public");

static API_INLINE: Policy = cors_policy! {
    origins: [
        "https://app.example.com",
        "https://*.example.net",
        "http://localhost:*",
        "https://admin.example.org:8443",
        regex(r"^https://(eu|us)-[0-9]+\.example\.com$"),
        regex(r"^https://preview-[a-z0-9]{1,12}\.pages\.example\.io$"),
    ],
    credentials: true,
    methods: [PUT, DELETE, "PATCH"],
    allow_headers: ["Authorization", "Content-Type", "X-Request-Id"],
    expose_headers: ["X-Request-Id", "X-Total-Count"],
    max_age: 600,
    allow_private_network: true,
};
const API_YAML: &str = r#"
origins:
  - https://app.example.com
  - https://*.example.net
  - http://localhost:*
  - https://admin.example.org:8443
  - regex: '^https://(eu|us)-[0-9]+\.example\.com$'
  - regex: '^https://preview-[a-z0-9]{1,12}\.pages\.example\.io$'
credentials: true
methods: [PUT, DELETE, PATCH]
allow_headers: [Authorization, Content-Type, X-Request-Id]
expose_headers: [X-Request-Id, X-Total-Count]
max_age: 600
allow_private_network: true
"#;

#[allow(deprecated)] // authorization-not-covered-by-wildcard: intended here.
static OPEN_INLINE: Policy = cors_policy! {
    origins: "*",
    methods: "*",
    allow_headers: "*",
    expose_headers: "*",
    max_age: 7200,
};
const OPEN_YAML: &str = r#"
origins: "*"
methods: "*"
allow_headers: "*"
expose_headers: "*"
max_age: 7200
"#;

#[allow(deprecated)] // authorization-not-covered-by-wildcard: intended here.
static WILDCARD_HEADERS_CREDENTIALED: Policy = cors_policy! {
    origins: ["https://*.example.com", "http://127.0.0.1:*"],
    credentials: true,
    allow_headers: "*",
    methods: "*",
};
const WILDCARD_HEADERS_CREDENTIALED_YAML: &str = r#"
origins: ["https://*.example.com", "http://127.0.0.1:*"]
credentials: true
allow_headers: "*"
methods: "*"
"#;

/// Every (macro-built, runtime-built) pair under test.
fn pairs() -> Vec<(&'static str, &'static Policy, Policy)> {
    let load = |text: &str| cors_policy::from_yaml(text).expect("valid policy");
    let multi = include_str!("../fixtures/multi.yaml");
    vec![
        (
            "api.yaml",
            &API_FILE,
            load(include_str!("../fixtures/api.yaml")),
        ),
        (
            "multi.yaml#app",
            &APP_FILE,
            cors_policy::from_yaml_named(multi, "app").expect("valid"),
        ),
        (
            "multi.yaml#public",
            &PUBLIC_FILE,
            cors_policy::from_yaml_named(multi, "public").expect("valid"),
        ),
        ("api inline", &API_INLINE, load(API_YAML)),
        ("open inline", &OPEN_INLINE, load(OPEN_YAML)),
        (
            "wildcard headers with credentials",
            &WILDCARD_HEADERS_CREDENTIALED,
            load(WILDCARD_HEADERS_CREDENTIALED_YAML),
        ),
    ]
}

/// The tables are equal field by field; the macro's are all borrowed from the binary.
#[test]
fn macro_tables_equal_runtime_tables() {
    for (name, built, loaded) in pairs() {
        assert_same_tables(name, built, &loaded);
    }
}

/// Asserts that `built` (by the macro) and `loaded` (at run time) hold the same tables,
/// and that the macro's are borrowed from the binary.
fn assert_same_tables(name: &str, built: &Policy, loaded: &Policy) {
    let Policy {
        name: policy_name,
        any_origin,
        exact_origins,
        host_patterns,
        regexes,
        credentials,
        any_method,
        methods,
        any_header,
        allow_headers,
        allow_headers_value,
        expose_headers,
        max_age,
        allow_private_network,
    } = built;
    assert_eq!(*policy_name, loaded.name, "{name}: name");
    assert_eq!(*any_origin, loaded.any_origin, "{name}: any_origin");
    assert_eq!(
        *exact_origins, loaded.exact_origins,
        "{name}: exact_origins"
    );
    assert_eq!(
        *host_patterns, loaded.host_patterns,
        "{name}: host_patterns"
    );
    assert_eq!(regexes.len(), loaded.regexes.len(), "{name}: regexes");
    for (a, b) in regexes.iter().zip(loaded.regexes.iter()) {
        assert_eq!(a.source, b.source, "{name}: regex source");
        assert_eq!(
            a.dfa.as_bytes(),
            b.dfa.as_bytes(),
            "{name}: DFA of {}",
            a.source
        );
        assert!(matches!(a.dfa, DfaBytes::Static(_)), "{name}: DFA embedded");
    }
    assert_eq!(*credentials, loaded.credentials, "{name}: credentials");
    assert_eq!(*any_method, loaded.any_method, "{name}: any_method");
    assert_eq!(*methods, loaded.methods, "{name}: methods");
    assert_eq!(*any_header, loaded.any_header, "{name}: any_header");
    assert_eq!(
        *allow_headers, loaded.allow_headers,
        "{name}: allow_headers"
    );
    assert_eq!(
        *allow_headers_value, loaded.allow_headers_value,
        "{name}: allow_headers_value"
    );
    assert_eq!(
        *expose_headers, loaded.expose_headers,
        "{name}: expose_headers"
    );
    assert_eq!(*max_age, loaded.max_age, "{name}: max_age");
    assert_eq!(
        *allow_private_network, loaded.allow_private_network,
        "{name}: allow_private_network"
    );
    for table in [&**exact_origins, &**methods, &**allow_headers] {
        assert!(table.iter().all(|t| matches!(t, Cow::Borrowed(_))));
    }
    assert!(matches!(exact_origins, Cow::Borrowed(_)), "{name}");
    assert!(matches!(host_patterns, Cow::Borrowed(_)), "{name}");
    assert!(matches!(regexes, Cow::Borrowed(_)), "{name}");
}

/// Origins that exercise every table: exact, patterns, ports, regexes, and the near
/// misses a scanner tries (case, trailing slash, suffix and prefix tricks, `null`).
const ORIGINS: &[&[u8]] = &[
    b"https://app.example.com",
    b"https://app.example.org",
    b"https://APP.example.com",
    b"https://app.example.com/",
    b"https://app.example.com:443",
    b"http://app.example.com",
    b"https://app.example.com.evil.com",
    b"https://evilapp.example.com",
    b"https://x.example.com",
    b"https://a.b.example.com",
    b"https://example.com",
    b"https://x.example.net",
    b"https://deep.x.example.net",
    b"https://example.net",
    b"https://x.example.net:8443",
    b"http://localhost",
    b"http://localhost:3000",
    b"http://localhost:03000",
    b"https://localhost:3000",
    b"http://127.0.0.1:8080",
    b"https://admin.example.org:8443",
    b"https://admin.example.org",
    b"https://eu-1.example.com",
    b"https://us-42.example.com",
    b"https://asia-1.example.com",
    b"https://eu-1.example.com.evil.com",
    b"https://euX1.example.com",
    b"https://preview-abc123.pages.example.io",
    b"https://preview-.pages.example.io",
    b"https://preview-abcdefghijklmnop.pages.example.io",
    b"null",
    b"",
    b"https://\xff\xfe.example.com",
    b"https://evil.com",
];

/// The request shapes tried with every origin.
#[derive(Clone, Copy, Debug)]
enum Shape {
    Actual(&'static [u8]),
    Preflight {
        method: &'static [u8],
        headers: Option<&'static [u8]>,
        private_network: bool,
    },
    /// Two `Origin` lines.
    TwoOrigins,
    /// No `Origin` at all.
    NoOrigin,
}

const SHAPES: &[Shape] = &[
    Shape::Actual(b"GET"),
    Shape::Actual(b"POST"),
    Shape::Actual(b"PUT"),
    Shape::Preflight {
        method: b"PUT",
        headers: None,
        private_network: false,
    },
    Shape::Preflight {
        method: b"put",
        headers: None,
        private_network: false,
    },
    Shape::Preflight {
        method: b"PATCH",
        headers: Some(b"content-type"),
        private_network: false,
    },
    Shape::Preflight {
        method: b"DELETE",
        headers: Some(b"Authorization, X-Request-Id"),
        private_network: false,
    },
    Shape::Preflight {
        method: b"GET",
        headers: Some(b"x-unknown"),
        private_network: false,
    },
    Shape::Preflight {
        method: b"POST",
        headers: Some(b"authorization"),
        private_network: true,
    },
    Shape::Preflight {
        method: b"OPTIONS",
        headers: Some(b"x-a,,x-b ,\tcontent-type"),
        private_network: false,
    },
    Shape::Preflight {
        method: b"TRACE",
        headers: None,
        private_network: false,
    },
    Shape::TwoOrigins,
    Shape::NoOrigin,
];

/// Everything observable about a decision, as comparable text.
fn decide(policy: &Policy, origin: &[u8], shape: Shape) -> (bool, String) {
    let engine = policy.engine().expect("tables load");
    let two = [origin, b"https://evil.com".as_slice()];
    let request = match shape {
        Shape::Actual(method) => Request::new(method).origin(origin),
        Shape::Preflight {
            method,
            headers,
            private_network,
        } => {
            let mut r = Request::new(b"OPTIONS")
                .origin(origin)
                .request_method(method);
            if let Some(h) = headers {
                r = r.request_headers(Values::One(h));
            }
            if private_network {
                r = r.private_network();
            }
            r
        }
        Shape::TwoOrigins => Request::new(b"GET").origins(Values::Many(&two)),
        Shape::NoOrigin => Request::new(b"GET"),
    };
    let d = engine.decide(&request);
    let headers: Vec<String> = d
        .headers()
        .map(|h| format!("{}: {}", h.name, String::from_utf8_lossy(h.value)))
        .collect();
    (
        d.is_allowed(),
        format!(
            "kind={:?} allowed={} status={:?} pna_refused={} reason={:?} vary={:?} headers={headers:?}",
            d.kind(),
            d.is_allowed(),
            d.status(),
            d.private_network_refused(),
            d.reason(),
            d.vary(),
        ),
    )
}

#[test]
fn macro_and_runtime_policies_decide_alike() {
    let mut cases = 0;
    for (name, built, loaded) in pairs() {
        let (mut allowed, mut denied) = (0, 0);
        for origin in ORIGINS {
            for &shape in SHAPES {
                let (ok, from_macro) = decide(built, origin, shape);
                let (_, from_runtime) = decide(&loaded, origin, shape);
                assert_eq!(
                    from_macro,
                    from_runtime,
                    "{name}: {} {shape:?}",
                    String::from_utf8_lossy(origin)
                );
                if ok {
                    allowed += 1;
                } else {
                    denied += 1;
                }
                cases += 1;
            }
        }
        // The table must exercise both outcomes for every policy, or it proves little.
        assert!(
            allowed > 20 && denied > 20,
            "{name}: {allowed} allowed, {denied} denied"
        );
    }
    assert!(cases >= 6 * ORIGINS.len() * SHAPES.len(), "{cases} cases");
}

// The policies of the engine's decision table (`cors-policy/tests/data/decisions.yaml`),
// written again in the macro's syntax. `macro_tables_equal_runtime_tables` style checks
// below prove each one is the same policy as its YAML text.
mod table_policies {
    use super::{cors_policy, Policy};

    pub static EXACT: Policy = cors_policy! {
        origins: ["https://app.example.com", "https://app.example.com:8443", "http://localhost:3000"],
        credentials: true,
        methods: [PUT, DELETE, patch],
        allow_headers: ["X-Trace", "Content-Type", "Authorization"],
        expose_headers: ["X-Request-Id", "ETag"],
        max_age: 600,
    };
    pub static WILD: Policy = cors_policy! {
        origins: ["https://*.example.com", "http://localhost:*", "https://*.dev.example.org:8443", "http://[::1]:*"],
        methods: [PUT],
        allow_headers: ["x-a"],
    };
    pub static REGEX: Policy = cors_policy! {
        origins: [regex(r"^https://(eu|us)-[0-9]+\.example\.com$"), "https://static.example.net"],
        credentials: true,
    };
    #[allow(deprecated)] // authorization-not-covered-by-wildcard, as in the YAML.
    pub static PUBLIC: Policy = cors_policy! {
        origins: "*",
        methods: "*",
        allow_headers: "*",
        expose_headers: "*",
        max_age: 0,
    };
    pub static PUBLIC_MIN: Policy = cors_policy! { origins: "*" };
    #[allow(deprecated)] // authorization-not-covered-by-wildcard, as in the YAML.
    pub static CRED_STAR: Policy = cors_policy! {
        origins: ["https://app.example.com"],
        credentials: true,
        methods: "*",
        allow_headers: "*",
    };
    pub static CRED_STAR_AUTH: Policy = cors_policy! {
        origins: ["https://app.example.com"],
        credentials: true,
        allow_headers: ["*", "Authorization"],
    };
    pub static STAR_AUTH: Policy = cors_policy! {
        origins: ["https://app.example.com"],
        allow_headers: ["*", "Authorization"],
    };
    pub static PNA: Policy = cors_policy! {
        origins: ["https://app.example.com"],
        methods: [PUT],
        allow_private_network: true,
    };
    pub static GHSA: Policy = cors_policy! { origins: ["https://foo.com", "https://bar.com"] };

    /// The macro-built policy called `name` in the data file.
    pub fn by_name(name: &str) -> Option<&'static Policy> {
        Some(match name {
            "exact" => &EXACT,
            "wild" => &WILD,
            "regex" => &REGEX,
            "public" => &PUBLIC,
            "public_min" => &PUBLIC_MIN,
            "cred_star" => &CRED_STAR,
            "cred_star_auth" => &CRED_STAR_AUTH,
            "star_auth" => &STAR_AUTH,
            "pna" => &PNA,
            "ghsa" => &GHSA,
            _ => return None,
        })
    }
}

/// Every case of the engine's decision table gives the same decision, reason and
/// headers through the macro-built and the runtime-built policy.
#[test]
fn decision_table_cases_decide_alike() {
    let table = decision_table::Table::load();
    let mut runtime: BTreeMap<String, Policy> = BTreeMap::new();
    for (name, text) in table.policies() {
        let loaded = cors_policy::from_yaml(text).expect("valid policy");
        let built = table_policies::by_name(name)
            .unwrap_or_else(|| panic!("policy `{name}` has no macro twin here: add it"));
        assert_same_tables(name, built, &loaded);
        runtime.insert(name.to_owned(), loaded);
    }
    let cases = table.cases();
    assert!(cases.len() >= 150, "{} cases", cases.len());
    for (i, row) in cases.iter().enumerate() {
        let (p, case) = (row.policy, row.row);
        let lines = row.request.borrowed();
        let request = lines.request();
        let from_macro = describe(table_policies::by_name(p).expect("policy"), &request);
        let from_runtime = describe(&runtime[p], &request);
        assert_eq!(from_macro, from_runtime, "case {i} ({p}): {case:?}");
    }
}

/// Everything observable about the decision for `request`, as comparable text.
fn describe(policy: &Policy, request: &Request<'_>) -> String {
    let engine = policy.engine().expect("tables load");
    let d = engine.decide(request);
    let headers: Vec<String> = d
        .headers()
        .map(|h| format!("{}: {}", h.name, String::from_utf8_lossy(h.value)))
        .collect();
    format!(
        "kind={:?} allowed={} status={:?} pna_refused={} reason={} headers={headers:?}",
        d.kind(),
        d.is_allowed(),
        d.status(),
        d.private_network_refused(),
        d.reason(),
    )
}
