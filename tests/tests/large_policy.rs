//! A policy of 1,000 exact origins and 20 regexes compiles through `cors_policy!`
//! (file form), and decides exactly as the same file loaded at run time.

use cors_policy::cors_policy;
use cors_policy::engine::Request;
use cors_policy::Policy;

static LARGE: Policy = cors_policy!(file = "fixtures/large.yaml");
const LARGE_YAML: &str = include_str!("../fixtures/large.yaml");

fn origins() -> Vec<String> {
    let mut origins = Vec::new();
    for i in 0..1000 {
        let listed = format!("https://app{i}.tenant{}.example.com", i % 97);
        // Scanner-style look-alikes of every listed origin must be denied.
        origins.push(format!("https://evil{}", &listed["https://".len()..]));
        origins.push(format!("{listed}.evil.com"));
        origins.push(listed.replace("https://", "http://"));
        origins.push(format!("https://app{i}.tenant{}.example.com", (i + 1) % 97));
        origins.push(listed);
    }
    for r in 0..20 {
        origins.push(format!("https://eu-7.region{r}.example.net"));
        origins.push(format!("https://ap-123.region{r}.example.net"));
        origins.push(format!("https://eu-1234.region{r}.example.net"));
        origins.push(format!("https://euxregion{r}.example.net"));
    }
    origins
}

#[test]
fn macro_and_runtime_tables_decide_alike_at_scale() {
    let runtime = cors_policy::from_yaml(LARGE_YAML).expect("large policy is valid");
    assert_eq!(LARGE.exact_origins.len(), 1000);
    assert_eq!(LARGE.regexes.len(), 20);
    let (from_macro, at_runtime) = (LARGE.engine().unwrap(), runtime.engine().unwrap());
    let (mut allowed, mut denied) = (0, 0);
    for origin in origins() {
        for request in [
            Request::new(b"GET").origin(origin.as_bytes()),
            Request::new(b"OPTIONS")
                .origin(origin.as_bytes())
                .request_method(b"PATCH"),
        ] {
            let (a, b) = (from_macro.decide(&request), at_runtime.decide(&request));
            assert_eq!(a.is_allowed(), b.is_allowed(), "{origin}");
            assert_eq!(a.status(), b.status(), "{origin}");
            let headers = |d: &cors_policy::engine::Decision<'_>| {
                d.headers()
                    .map(|h| (h.name.to_owned(), h.value_str().to_owned()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(headers(&a), headers(&b), "{origin}");
            if a.is_allowed() {
                allowed += 1;
            } else {
                denied += 1;
            }
        }
    }
    // 1,000 listed origins and 40 regex matches, each as actual and preflight.
    assert_eq!(allowed, 2 * (1000 + 40));
    assert_eq!(denied, 2 * (4000 + 40));
}
