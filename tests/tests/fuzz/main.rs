//! Fuzzing on the stable toolchain: property tests from a fixed seed with a bounded
//! number of cases (CI), or as many as `CORS_FUZZ_CASES` says (long runs):
//!
//! ```text
//! CORS_FUZZ_CASES=200000 cargo test --release -p cors-policy-tests --test fuzz -- --nocapture
//! ```
//!
//! (`CORS_FUZZ_SEED` picks another seed.) Each target prints how many cases it ran.
//!
//! Targets and their invariants:
//! - `yaml_bytes`, `yaml_structured`: the YAML loader and validator never panic on any
//!   text; every policy that validates also compiles, its tables load into an engine,
//!   and code generation succeeds on them.
//! - `origin_parse`: the configured-origin parser never panics, accepts only canonical
//!   text, and a policy of one accepted exact origin allows exactly that origin.
//! - `matcher`: the compiled origin matcher equals the naive reference of
//!   `reference.rs` (exact origins, `*.`, `:*`, regexes through the `regex` crate on
//!   the whole origin) on origins near the policy's own entries and on raw bytes.
//! - `request_headers`: the `Access-Control-Request-Headers` verdict equals the
//!   reference list parser, whatever the lines hold.
//! - `decision`: the whole decision on random policies and requests: kind, verdict and
//!   status as the reference says; a denied request never carries an
//!   `Access-Control-*` header; every header value is a valid HTTP field value; the
//!   headers an allowed preflight grants cover exactly what was asked and no more than
//!   the policy allows.
//!
//! - `tower_adapter`: the same requests through the tower adapter (`http` types in,
//!   response out): the same checks on the response it builds, the application's own
//!   `Vary` kept.
//!
//! Every failure found becomes a named regression test in `regressions.rs`.

mod reference;
mod regressions;
mod request;
mod spec;

use cors_policy::compiler::load::load_yaml;
use cors_policy::engine::{Decision, Kind};
use cors_policy::Policy;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use reference::RefPolicy;
use request::Req;
use spec::{fuzz, List, Spec};

/// A spec that validated, with its compiled policy.
fn compile(spec: &Spec) -> Option<Policy> {
    cors_policy::from_yaml(&spec.yaml()).ok()
}

/// Every policy of `text` that validates compiles, loads into an engine, and goes
/// through code generation.
fn check_loaded(text: &str) -> Result<(), TestCaseError> {
    let file = load_yaml(text);
    for p in &file.policies {
        let Some(valid) = &p.valid else { continue };
        let policy = cors_policy::compiler::compile::compile(valid);
        if let Err(e) = policy.engine() {
            return Err(TestCaseError::fail(format!(
                "a valid policy does not load: {e}\n{text}"
            )));
        }
        if let Err(e) = cors_policy::compiler::codegen::policy_expr(&policy) {
            return Err(TestCaseError::fail(format!(
                "a valid policy fails codegen: {e}\n{text}"
            )));
        }
    }
    Ok(())
}

/// YAML-ish text: fragments of the policy language glued at random.
fn yamlish() -> impl Strategy<Value = String> {
    let fragment = prop::sample::select(vec![
        "origins:",
        "policies:",
        " app:",
        "  origins:",
        "credentials: true",
        "methods:",
        "allow_headers:",
        "expose_headers:",
        "max_age:",
        "allow_private_network: true",
        "dangerously_allow_insecure_origins: true",
        "- ",
        "  - ",
        "regex: ",
        "\"*\"",
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        "https://a.example.com",
        "https://*.example.com",
        "http://localhost:*",
        "'^https://(a|b)\\.example\\.com$'",
        "null",
        "~",
        "&a",
        "*a",
        "!!str",
        "!!binary",
        "|",
        ">",
        "#",
        "---",
        "...",
        "\n",
        "\n",
        "\n",
        "  ",
        "\t",
        "600",
        "-1",
        "1e9",
        "0x10",
        "99999999999999999999",
        "PUT",
        "Authorization",
        "\"\\u0000\"",
        "? ",
        "<<: *a",
    ]);
    prop::collection::vec(fragment, 0..40).prop_map(|f| f.concat())
}

#[test]
fn yaml_bytes() {
    let input = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        yamlish(),
    ];
    fuzz("yaml_bytes", 1500, input, |text| check_loaded(&text));
}

#[test]
fn yaml_structured() {
    fuzz("yaml_structured", 300, spec::spec(true), |spec| {
        let yaml = spec.yaml();
        check_loaded(&yaml)?;
        // The same text through the public entry point: same verdict.
        let file = load_yaml(&yaml);
        let valid = file.policies.first().is_some_and(|p| p.valid.is_some());
        prop_assert_eq!(valid, cors_policy::from_yaml(&yaml).is_ok(), "{}", yaml);
        Ok(())
    });
}

#[test]
fn origin_parse() {
    let input = prop_oneof![
        4 => spec::origin_text(true),
        1 => ".{0,40}",
        1 => "[a-zA-Z]{0,6}:(//)?[a-zA-Z0-9.*:@/\\[\\]%_-]{0,40}",
    ];
    fuzz("origin_parse", 3000, input, |text| {
        let Ok(pattern) = cors_policy::compiler::origin::parse_origin(&text) else {
            return Ok(());
        };
        prop_assert_eq!(&pattern.to_policy_string(), &text);
        if !pattern.is_exact() {
            return Ok(());
        }
        let spec = Spec {
            dangerously_allow_public_suffix_wildcards: Some(true),
            ..Spec::origins(List::Items(vec![spec::OriginEntry::Text(text.clone())]))
        };
        let Some(policy) = compile(&spec) else {
            return Ok(());
        };
        let engine = policy.engine().unwrap();
        prop_assert!(engine.is_origin_allowed(text.as_bytes()), "{}", text);
        for probe in [
            format!("{text}/"),
            format!("{text}."),
            text.to_ascii_uppercase(),
            format!("{text}:1"),
        ] {
            if probe != text {
                prop_assert!(!engine.is_origin_allowed(probe.as_bytes()), "{}", probe);
            }
        }
        Ok(())
    });
}

/// A spec that validates and origins to try against it.
fn spec_with<T: std::fmt::Debug>(
    each: impl Fn(&Spec) -> BoxedStrategy<T> + 'static,
    n: usize,
) -> impl Strategy<Value = (Spec, Vec<T>)> {
    spec::spec(false).prop_flat_map(move |spec| {
        let items = prop::collection::vec(each(&spec), 1..n);
        (Just(spec), items)
    })
}

#[test]
fn matcher() {
    let input = spec_with(request::origin_for, 32);
    let (valid, tried, allowed) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
    fuzz("matcher", 400, input, |(spec, origins)| {
        let Some(policy) = compile(&spec) else {
            return Ok(());
        };
        valid.fetch_add(1, Relaxed);
        let engine = policy.engine().unwrap();
        let reference = RefPolicy::new(&spec);
        for origin in &origins {
            tried.fetch_add(1, Relaxed);
            let yes = engine.is_origin_allowed(origin);
            allowed.fetch_add(usize::from(yes), Relaxed);
            prop_assert_eq!(
                yes,
                reference.origin_allowed(origin),
                "origin {:?} under\n{}",
                String::from_utf8_lossy(origin),
                spec.yaml()
            );
        }
        Ok(())
    });
    report(&valid, &tried, &allowed);
}

/// Prints how much of a run reached the engine, so a generator that drifts into only
/// invalid policies or only denials shows.
fn report(valid: &AtomicUsize, tried: &AtomicUsize, allowed: &AtomicUsize) {
    eprintln!(
        "  {} valid policies, {} requests, {} allowed",
        valid.load(Relaxed),
        tried.load(Relaxed),
        allowed.load(Relaxed)
    );
}

/// Policies for the header-list target: listed names, `*` with and without
/// credentials, `*` with `authorization` listed.
const HEADER_POLICIES: &[&str] = &[
    "origins: [\"https://a.example.com\"]\nallow_headers: [x-a, Content-Type, X-Request-Id]\n",
    "origins: [\"https://a.example.com\"]\nallow_headers: \"*\"\n",
    "origins: [\"https://a.example.com\"]\nallow_headers: \"*\"\ncredentials: true\n",
    "origins: [\"https://a.example.com\"]\nallow_headers: [\"*\", authorization]\n",
    "origins: [\"https://a.example.com\"]\n",
];

#[test]
fn request_headers() {
    let specs: Vec<(Policy, RefPolicy)> = HEADER_POLICIES
        .iter()
        .map(|y| {
            let policy = cors_policy::from_yaml(y).unwrap();
            // The reference reads the same YAML through serde_yaml.
            let spec = spec_from_simple_yaml(y);
            (policy, RefPolicy::new(&spec))
        })
        .collect();
    let engines: Vec<_> = specs
        .iter()
        .map(|(p, r)| (p.engine().unwrap(), r))
        .collect();
    let input = prop_oneof![
        6 => request::lines(request::header_line()),
        2 => request::lines(prop::collection::vec(any::<u8>(), 0..32)),
        1 => request::huge_header_lines(),
    ];
    fuzz("request_headers", 3000, input, |acrh| {
        let req = Req {
            method: b"OPTIONS".to_vec(),
            origin: request::Lines::One(b"https://a.example.com".to_vec()),
            request_method: request::Lines::One(b"GET".to_vec()),
            request_headers: acrh,
            private_network: request::Lines::Absent,
        };
        for (engine, reference) in &engines {
            let want = reference::requested_headers(req.request_headers.lines().as_deref())
                .is_ok_and(|names| reference.headers_allowed(&names));
            req.with(|r| {
                let d = engine.decide(r);
                check_decision(reference, &req, &d)?;
                prop_assert_eq!(d.is_allowed(), want, "{:?}", req.request_headers);
                Ok(())
            })?;
        }
        Ok(())
    });
}

/// The few keys of [`HEADER_POLICIES`], read back into a [`Spec`].
fn spec_from_simple_yaml(text: &str) -> Spec {
    let v: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    let list = |key: &str| -> Option<List<String>> {
        match v.get(key)? {
            serde_yaml::Value::String(s) if s == "*" => Some(List::Any),
            serde_yaml::Value::Sequence(items) => Some(List::Items(
                items
                    .iter()
                    .map(|i| i.as_str().unwrap().to_owned())
                    .collect(),
            )),
            other => panic!("{other:?}"),
        }
    };
    let origins = match list("origins").unwrap() {
        List::Any => List::Any,
        List::Items(v) => List::Items(v.into_iter().map(spec::OriginEntry::Text).collect()),
    };
    Spec {
        credentials: v.get("credentials").and_then(|c| c.as_bool()),
        methods: list("methods"),
        allow_headers: list("allow_headers"),
        expose_headers: list("expose_headers"),
        ..Spec::origins(origins)
    }
}

#[test]
fn decision() {
    let input = spec_with(|s| request::request_for(s).boxed(), 24);
    let (valid, tried, allowed) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
    fuzz("decision", 400, input, |(spec, requests)| {
        let Some(policy) = compile(&spec) else {
            return Ok(());
        };
        valid.fetch_add(1, Relaxed);
        let engine = policy.engine().unwrap();
        let reference = RefPolicy::new(&spec);
        for req in &requests {
            tried.fetch_add(1, Relaxed);
            req.with(|r| {
                let d = engine.decide(r);
                allowed.fetch_add(usize::from(d.is_allowed()), Relaxed);
                check_decision(&reference, req, &d)
            })
            .map_err(|e| {
                TestCaseError::fail(format!("{e}\nrequest {req:?}\npolicy:\n{}", spec.yaml()))
            })?;
        }
        Ok(())
    });
    report(&valid, &tried, &allowed);
}

/// The names of a comma-separated header value, lower-cased.
fn names(value: &[u8]) -> Vec<String> {
    value
        .split(|&b| b == b',')
        .map(reference::trim)
        .filter(|n| !n.is_empty())
        .map(|n| String::from_utf8_lossy(n).to_ascii_lowercase())
        .collect()
}

/// What came back for one request: from `Engine::decide`, or from the tower adapter.
pub struct Answer {
    /// Whether the CORS request was allowed.
    pub allowed: bool,
    /// The preflight status (`None` for a request passed to the application).
    pub status: Option<u16>,
    /// The `access-control-*` and `vary` headers, in order.
    pub headers: Vec<(String, Vec<u8>)>,
    /// Why, for messages.
    pub reason: String,
}

impl Answer {
    fn of(d: &Decision<'_>) -> Answer {
        Answer {
            allowed: d.is_allowed(),
            status: d.status(),
            headers: d
                .headers()
                .map(|h| (h.name.to_owned(), h.value.to_vec()))
                .collect(),
            reason: d.reason().to_string(),
        }
    }
}

/// The decision for `req` is what the reference says, and safe to send.
pub fn check_decision(
    reference: &RefPolicy,
    req: &Req,
    d: &Decision<'_>,
) -> Result<(), TestCaseError> {
    let kind = if req.origin.is_absent() {
        Kind::NotCors
    } else if req.method == b"OPTIONS" && !req.request_method.is_absent() {
        Kind::Preflight
    } else {
        Kind::Actual
    };
    prop_assert_eq!(d.kind(), kind);
    let answer = Answer::of(d);
    if answer.headers.iter().any(|(n, _)| n == "vary") {
        let last = answer.headers.last().map(|(n, _)| n.as_str());
        prop_assert_eq!(last, Some("vary"), "Vary goes last");
    }
    check_answer(reference, req, &answer)
}

/// The answer to `req` is what the reference says, and safe to send.
pub fn check_answer(
    reference: &RefPolicy,
    req: &Req,
    answer: &Answer,
) -> Result<(), TestCaseError> {
    let headers: Vec<(&str, &[u8])> = answer
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    for (name, value) in &headers {
        // A field value: visible ASCII, spaces and tabs; never CR, LF or NUL, so no
        // adapter can fail to build it or be made to split a response.
        prop_assert!(
            value
                .iter()
                .all(|&b| b == b'\t' || (b' '..=b'~').contains(&b)),
            "header {} has value {:?}",
            name,
            String::from_utf8_lossy(value)
        );
        prop_assert!(
            !value.is_empty() && value.first() != Some(&b' '),
            "{name}: {value:?}"
        );
        prop_assert_eq!(name.to_ascii_lowercase(), *name);
    }
    let get_all = |n: &str| -> Vec<&[u8]> {
        headers
            .iter()
            .filter(|(name, _)| *name == n)
            .map(|(_, v)| *v)
            .collect()
    };
    let one = |n: &str| -> Result<Option<&[u8]>, TestCaseError> {
        let all = get_all(n);
        prop_assert!(all.len() <= 1, "{} is repeated", n);
        Ok(all.first().copied())
    };

    let absent = req.origin.is_absent();
    let preflight = !absent && req.method == b"OPTIONS" && !req.request_method.is_absent();
    let kind = if absent {
        Kind::NotCors
    } else if preflight {
        Kind::Preflight
    } else {
        Kind::Actual
    };
    let origin = req.origin.single();
    let origin_ok =
        !absent && (reference.any_origin || origin.is_some_and(|o| reference.origin_allowed(o)));
    let method = req.request_method.single();
    let requested = reference::requested_headers(req.request_headers.lines().as_deref());
    let allowed = origin_ok
        && (!preflight
            || (method.is_some_and(|m| reference.method_allowed(m))
                && requested
                    .as_ref()
                    .is_ok_and(|names| reference.headers_allowed(names))));
    prop_assert_eq!(answer.allowed, allowed, "reason {}", answer.reason);
    prop_assert_eq!(
        answer.status,
        preflight.then_some(if allowed { 204 } else { 403 })
    );

    // Vary: exactly the names the answer depends on, whatever the lines.
    let mut vary = Vec::new();
    if !reference.any_origin || absent {
        vary.push("origin".to_owned());
    }
    if preflight {
        vary.push("access-control-request-method".to_owned());
        vary.push("access-control-request-headers".to_owned());
        if reference.private_network {
            vary.push("access-control-request-private-network".to_owned());
        }
    }
    let mut got_vary: Vec<String> = get_all("vary").into_iter().flat_map(names).collect();
    got_vary.sort();
    vary.sort();
    prop_assert_eq!(&got_vary, &vary);

    if !allowed {
        let cors: Vec<_> = headers
            .iter()
            .filter(|(n, _)| n.starts_with("access-control-"))
            .collect();
        prop_assert!(cors.is_empty(), "a denied request got {:?}", cors);
        return Ok(());
    }

    let acao = one("access-control-allow-origin")?;
    let want_acao: &[u8] = if reference.any_origin {
        b"*"
    } else {
        origin.unwrap()
    };
    prop_assert_eq!(acao, Some(want_acao));
    let acac = one("access-control-allow-credentials")?;
    prop_assert_eq!(acac, reference.credentials.then_some(&b"true"[..]));
    // `*` never goes with credentials.
    prop_assert!(!(reference.credentials && acao == Some(b"*")));

    if kind == Kind::Actual {
        let expose = one("access-control-expose-headers")?;
        match &reference.expose {
            None => prop_assert_eq!(expose, None),
            Some((any, items)) => {
                let mut want = items.clone();
                if *any {
                    want.push("*".to_owned());
                }
                want.sort();
                want.dedup();
                let mut got = names(expose.unwrap_or_default());
                got.sort();
                if *any && got == ["*"] {
                    // `*` alone says it all without credentials.
                } else {
                    prop_assert_eq!(got, want);
                }
            }
        }
        for n in [
            "access-control-allow-methods",
            "access-control-allow-headers",
            "access-control-max-age",
            "access-control-allow-private-network",
        ] {
            prop_assert!(get_all(n).is_empty(), "an actual response got {}", n);
        }
        return Ok(());
    }

    // An allowed preflight.
    prop_assert_eq!(one("access-control-allow-methods")?, method);
    let max_age = reference.max_age.map(|m| m.to_string());
    prop_assert_eq!(
        one("access-control-max-age")?,
        max_age.as_deref().map(str::as_bytes)
    );
    let pna_asked = req
        .private_network
        .single()
        .is_some_and(|v| reference::trim(v) == b"true");
    prop_assert_eq!(
        one("access-control-allow-private-network")?,
        (pna_asked && reference.private_network).then_some(&b"true"[..])
    );
    prop_assert!(one("access-control-expose-headers")?.is_none());
    let requested = requested.unwrap();
    let granted: Vec<String> = get_all("access-control-allow-headers")
        .into_iter()
        .flat_map(names)
        .collect();
    if requested.is_empty() {
        prop_assert!(granted.is_empty(), "granted {:?} unasked", granted);
        return Ok(());
    }
    // What a browser checks: every requested name is granted by name, or by `*` (a
    // wildcard only without credentials, never for `authorization`).
    let star = granted.iter().any(|g| g == "*") && !reference.credentials;
    for name in &requested {
        prop_assert!(
            granted.contains(name) || (star && name != "authorization"),
            "requested {} but granted {:?}",
            name,
            granted
        );
    }
    // And no more than the policy allows.
    for g in &granted {
        let ok = reference.headers.contains(g)
            || (g == "*" && reference.any_header && !reference.credentials)
            || (reference.any_header && g != "authorization" && requested.contains(g));
        prop_assert!(ok, "granted {} beyond the policy", g);
    }
    Ok(())
}

/// The application behind the adapter: 200 with its own `Vary`.
#[derive(Clone)]
struct App;

impl tower_service::Service<http::Request<()>> for App {
    type Response = http::Response<String>;
    type Error = std::convert::Infallible;
    type Future = std::future::Ready<Result<Self::Response, Self::Error>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: http::Request<()>) -> Self::Future {
        let mut res = http::Response::new("app".to_owned());
        res.headers_mut().insert(
            http::header::VARY,
            http::HeaderValue::from_static("Accept-Encoding"),
        );
        std::future::ready(Ok(res))
    }
}

/// `req` as an `http::Request`, and the request as the adapter can see it: lines no
/// HTTP library accepts (CR, LF, NUL...) or a method that is not a token are left
/// out, as a server would have refused them before any middleware.
fn http_request(req: &Req) -> (http::Request<()>, Req) {
    use request::Lines;
    let method = http::Method::from_bytes(&req.method).unwrap_or(http::Method::GET);
    let mut builder = http::Request::builder().method(method.clone()).uri("/");
    let names = [
        "origin",
        "access-control-request-method",
        "access-control-request-headers",
        "access-control-request-private-network",
    ];
    let sources = [
        &req.origin,
        &req.request_method,
        &req.request_headers,
        &req.private_network,
    ];
    let mut seen = Vec::new();
    for (name, lines) in names.into_iter().zip(sources) {
        // More lines than any adapter buffers.
        let owned: Vec<Vec<u8>> = match lines.lines() {
            Some(l) => l.iter().map(|v| v.to_vec()).collect(),
            None => vec![b"x".to_vec(); 300],
        };
        let mut kept = Vec::new();
        for v in owned {
            if let Ok(value) = http::HeaderValue::from_bytes(&v) {
                builder = builder.header(name, value);
                kept.push(v);
            }
        }
        seen.push(match kept.len() {
            0 => Lines::Absent,
            1 => Lines::One(kept.pop().unwrap()),
            _ => Lines::Many(kept),
        });
    }
    let [origin, request_method, request_headers, private_network] =
        <[Lines; 4]>::try_from(seen).unwrap();
    let seen = Req {
        method: method.as_str().as_bytes().to_vec(),
        origin,
        request_method,
        request_headers,
        private_network,
    };
    (builder.body(()).unwrap(), seen)
}

#[test]
fn tower_adapter() {
    use std::future::Future;
    let input = spec_with(|s| request::request_for(s).boxed(), 16);
    let (valid, tried, allowed) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
    fuzz("tower_adapter", 250, input, |(spec, requests)| {
        let Some(policy) = compile(&spec) else {
            return Ok(());
        };
        valid.fetch_add(1, Relaxed);
        let reference = RefPolicy::new(&spec);
        let layer = cors_policy::tower::CorsLayer::new(policy).unwrap();
        let mut service = tower_layer::Layer::layer(&layer, App);
        for req in &requests {
            tried.fetch_add(1, Relaxed);
            let (http_req, seen) = http_request(req);
            let mut future = std::pin::pin!(tower_service::Service::call(&mut service, http_req));
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            let std::task::Poll::Ready(Ok(res)) = future.as_mut().poll(&mut cx) else {
                return Err(TestCaseError::fail("the adapter did not answer at once"));
            };
            let preflight = res.body().is_empty();
            let app_vary = res.headers().get_all(http::header::VARY).iter().any(|v| {
                v.as_bytes()
                    .to_ascii_lowercase()
                    .windows(15)
                    .any(|w| w == b"accept-encoding")
            });
            prop_assert_eq!(app_vary, !preflight, "the app's Vary is kept");
            let headers: Vec<(String, Vec<u8>)> = res
                .headers()
                .iter()
                .filter(|(n, _)| n.as_str().starts_with("access-control-") || *n == "vary")
                .map(|(n, v)| (n.as_str().to_owned(), v.as_bytes().to_vec()))
                .flat_map(|(n, v)| {
                    // Drop the app's own Vary name; the rest is the layer's.
                    if n != "vary" {
                        return vec![(n, v)];
                    }
                    let rest: Vec<String> = names(&v)
                        .into_iter()
                        .filter(|i| i != "accept-encoding")
                        .collect();
                    if rest.is_empty() {
                        vec![]
                    } else {
                        vec![(n, rest.join(", ").into_bytes())]
                    }
                })
                .collect();
            let answer = Answer {
                allowed: if preflight {
                    res.status() == 204
                } else {
                    res.headers().contains_key("access-control-allow-origin")
                },
                status: preflight.then_some(res.status().as_u16()),
                headers,
                reason: "(adapter)".to_owned(),
            };
            allowed.fetch_add(usize::from(answer.allowed), Relaxed);
            if !preflight {
                prop_assert_eq!(res.status(), 200);
            }
            check_answer(&reference, &seen, &answer).map_err(|e| {
                TestCaseError::fail(format!(
                    "{e}\nrequest {seen:?}\nresponse {res:?}\npolicy:\n{}",
                    spec.yaml()
                ))
            })?;
        }
        Ok(())
    });
    report(&valid, &tried, &allowed);
}
