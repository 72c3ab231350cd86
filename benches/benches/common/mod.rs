//! Shared by the bench binaries: the four policies, the request cases, and one
//! "whole middleware" entry point per implementation (`http::Request<()>` in,
//! `http::Response<()>` out, or actix-web's own types for actix-cors).
//!
//! Every implementation is configured with the same policy as far as it can express
//! it; [`check`] runs every case through every implementation and panics when an
//! outcome differs from the expected one, so a benchmark never compares a fast wrong
//! answer with a slow right one.

// Each bench binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::borrow::Cow;
use std::convert::Infallible;
use std::future::{ready, Future, Ready};
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use cors_policy::cors_policy;
use cors_policy::engine::{limits, Engine, Header, Kind, Request as CorsRequest, Values};
use cors_policy::table::Text;
use cors_policy::Policy;
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, Request, Response, StatusCode};

/// One exact origin, built at compile time.
pub static ONE: Policy = cors_policy!(file = "policies/one.yaml");
/// 1,000 exact origins, built at compile time.
pub static THOUSAND: Policy = cors_policy!(file = "policies/thousand.yaml");
/// `https://*.example.org`, built at compile time.
pub static PATTERN: Policy = cors_policy!(file = "policies/pattern.yaml");
/// One regex origin, built at compile time.
pub static REGEX: Policy = cors_policy!(file = "policies/regex.yaml");

/// The policies the cases run against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// `policies/one.yaml`.
    One,
    /// `policies/thousand.yaml`.
    Thousand,
    /// `policies/pattern.yaml`.
    Pattern,
    /// `policies/regex.yaml`.
    Regex,
}

/// The number of origins in `policies/thousand.yaml`.
pub const THOUSAND_LEN: usize = 1000;
/// The regex of `policies/regex.yaml`.
pub const REGEX_SOURCE: &str = r"^https://(eu|us)-[0-9]+\.example\.com$";
/// The settings every policy shares, as the peers are configured.
pub const METHODS: [&str; 2] = ["PUT", "DELETE"];
/// Allowed request headers.
pub const ALLOW_HEADERS: [&str; 3] = ["content-type", "x-request-id", "x-trace"];
/// Exposed response headers.
pub const EXPOSE_HEADERS: [&str; 1] = ["x-request-id"];
/// `max_age`, seconds.
pub const MAX_AGE: u64 = 600;

impl Which {
    /// The policy compiled by the `cors_policy!` macro.
    pub fn macro_policy(self) -> &'static Policy {
        match self {
            Which::One => &ONE,
            Which::Thousand => &THOUSAND,
            Which::Pattern => &PATTERN,
            Which::Regex => &REGEX,
        }
    }

    /// The policy file's text.
    pub fn yaml(self) -> &'static str {
        match self {
            Which::One => include_str!("../../policies/one.yaml"),
            Which::Thousand => include_str!("../../policies/thousand.yaml"),
            Which::Pattern => include_str!("../../policies/pattern.yaml"),
            Which::Regex => include_str!("../../policies/regex.yaml"),
        }
    }

    /// The same file loaded at run time with `Policy::from_yaml` (leaked: the benches
    /// keep it for the whole run, as a server would).
    pub fn yaml_policy(self) -> &'static Policy {
        let policy = cors_policy::from_yaml(self.yaml()).expect("bench policy is valid");
        Box::leak(Box::new(policy))
    }

    /// The exact origins, in the order the file lists them.
    pub fn exact_origins(self) -> Vec<String> {
        match self {
            Which::One => vec!["https://app.example.com".to_owned()],
            Which::Thousand => (0..THOUSAND_LEN)
                .map(|i| format!("https://app{i}.example.com"))
                .collect(),
            Which::Pattern | Which::Regex => Vec::new(),
        }
    }
}

/// Whether a case's CORS request should be allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// No `Origin`: not a CORS request, no `Access-Control-Allow-Origin`.
    NotCors,
    /// `Access-Control-Allow-Origin` echoes the origin.
    Allowed,
    /// No `Access-Control-Allow-Origin`.
    Denied,
}

/// One benchmarked request.
#[derive(Clone, Debug)]
pub struct Case {
    /// The benchmark group name.
    pub name: &'static str,
    /// The policy it runs against.
    pub policy: Which,
    /// `GET` or `OPTIONS`.
    pub method: &'static str,
    /// `Origin`.
    pub origin: Option<&'static str>,
    /// `Access-Control-Request-Method`.
    pub request_method: Option<&'static str>,
    /// `Access-Control-Request-Headers` (one line).
    pub request_headers: Option<&'static str>,
    /// What a correct implementation answers.
    pub expect: Expect,
}

const fn actual(name: &'static str, policy: Which, origin: &'static str, expect: Expect) -> Case {
    Case {
        name,
        policy,
        method: "GET",
        origin: Some(origin),
        request_method: None,
        request_headers: None,
        expect,
    }
}

const fn preflight(
    name: &'static str,
    origin: &'static str,
    acrh: &'static str,
    e: Expect,
) -> Case {
    Case {
        name,
        policy: Which::One,
        method: "OPTIONS",
        origin: Some(origin),
        request_method: Some("PUT"),
        request_headers: Some(acrh),
        expect: e,
    }
}

/// Every case, in report order.
pub const CASES: [Case; 12] = [
    actual(
        "actual/1-origin/allowed",
        Which::One,
        "https://app.example.com",
        Expect::Allowed,
    ),
    actual(
        "actual/1-origin/denied",
        Which::One,
        "https://evil.example.net",
        Expect::Denied,
    ),
    actual(
        "actual/1000/first",
        Which::Thousand,
        "https://app0.example.com",
        Expect::Allowed,
    ),
    actual(
        "actual/1000/middle",
        Which::Thousand,
        "https://app500.example.com",
        Expect::Allowed,
    ),
    actual(
        "actual/1000/last",
        Which::Thousand,
        "https://app999.example.com",
        Expect::Allowed,
    ),
    actual(
        "actual/1000/denied",
        Which::Thousand,
        "https://evil.example.net",
        Expect::Denied,
    ),
    actual(
        "actual/pattern/allowed",
        Which::Pattern,
        "https://tenant-42.example.org",
        Expect::Allowed,
    ),
    actual(
        "actual/regex/allowed",
        Which::Regex,
        "https://eu-12.example.com",
        Expect::Allowed,
    ),
    preflight(
        "preflight/allowed-3-headers",
        "https://app.example.com",
        "content-type,x-request-id,x-trace",
        Expect::Allowed,
    ),
    preflight(
        "preflight/denied-origin",
        "https://evil.example.net",
        "content-type",
        Expect::Denied,
    ),
    preflight(
        "preflight/denied-header",
        "https://app.example.com",
        "content-type,x-evil",
        Expect::Denied,
    ),
    Case {
        name: "no-origin",
        policy: Which::One,
        method: "GET",
        origin: None,
        request_method: None,
        request_headers: None,
        expect: Expect::NotCors,
    },
];

impl Case {
    /// The request as an `http::Request<()>` (what hyper, axum and tonic hand a tower
    /// layer).
    pub fn http_request(&self) -> Request<()> {
        let mut b = Request::builder().method(self.method).uri("/api/items");
        if let Some(o) = self.origin {
            b = b.header(header::ORIGIN, HeaderValue::from_static(o));
        }
        if let Some(m) = self.request_method {
            b = b.header(
                header::ACCESS_CONTROL_REQUEST_METHOD,
                HeaderValue::from_static(m),
            );
        }
        if let Some(h) = self.request_headers {
            b = b.header(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                HeaderValue::from_static(h),
            );
        }
        b.header(header::ACCEPT, HeaderValue::from_static("application/json"))
            .body(())
            .expect("valid request")
    }

    /// The request as the engine's borrowed view (for `Engine::decide` alone).
    pub fn cors_request(&self) -> CorsRequest<'static> {
        let mut r = CorsRequest::new(self.method.as_bytes());
        if let Some(o) = self.origin {
            r = r.origin(o.as_bytes());
        }
        if let Some(m) = self.request_method {
            r = r.request_method(m.as_bytes());
        }
        if let Some(h) = self.request_headers {
            r = r.request_headers(Values::One(h.as_bytes()));
        }
        r
    }

    /// The request as an actix-web `ServiceRequest`.
    pub fn actix_request(&self) -> actix_web::dev::ServiceRequest {
        use actix_web::http::header as ah;
        let method = actix_web::http::Method::from_bytes(self.method.as_bytes()).expect("method");
        let mut t = actix_web::test::TestRequest::default()
            .method(method)
            .uri("/api/items")
            .insert_header((ah::ACCEPT, "application/json"));
        if let Some(o) = self.origin {
            t = t.insert_header((ah::ORIGIN, o));
        }
        if let Some(m) = self.request_method {
            t = t.insert_header((ah::ACCESS_CONTROL_REQUEST_METHOD, m));
        }
        if let Some(h) = self.request_headers {
            t = t.insert_header((ah::ACCESS_CONTROL_REQUEST_HEADERS, h));
        }
        t.to_srv_request()
    }
}

/// The application behind every middleware: drops the request, answers an empty 200.
pub fn app(req: Request<()>) -> Response<()> {
    drop(req);
    Response::new(())
}

// ---------------------------------------------------------------------------------
// Ours: Engine::decide behind a minimal tower-style adapter.
// ---------------------------------------------------------------------------------

/// `cors-policy` behind a minimal adapter: what a tower layer does per request.
///
/// Header values: `true` and `*` are `HeaderValue::from_static`; the policy's own
/// values (expose, max-age, allow-headers) are `HeaderValue`s built once here (from
/// `&'static str` for a macro policy); echoed values (the origin, the requested
/// method) are the request's own `HeaderValue`s cloned (no allocation: `Bytes` is
/// reference-counted or static), as tower-http does; only echoed
/// `Access-Control-Request-Headers` items that are not a whole request line are
/// copied with `HeaderValue::from_bytes`.
pub struct Ours {
    engine: Engine<'static>,
    expose: Option<HeaderValue>,
    max_age: Option<HeaderValue>,
    allow_headers: Option<HeaderValue>,
}

/// A `HeaderValue` of policy text, borrowed from the binary when the macro built it.
fn policy_value(text: &Option<Text>) -> Option<HeaderValue> {
    match text.as_ref()? {
        Cow::Borrowed(s) => Some(HeaderValue::from_static(s)),
        Cow::Owned(s) => HeaderValue::from_str(s).ok(),
    }
}

/// The `Vary` value of a decision as a static `HeaderValue`. The engine precomputes
/// these strings but hands them out as `&[u8]`; an adapter maps them back to the
/// `'static` strings to avoid a copy.
fn static_vary(value: &[u8]) -> HeaderValue {
    const KNOWN: [&str; 6] = [
        "Origin",
        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        "Access-Control-Request-Method, Access-Control-Request-Headers",
        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, \
         Access-Control-Request-Private-Network",
        "Access-Control-Request-Method, Access-Control-Request-Headers, \
         Access-Control-Request-Private-Network",
        "",
    ];
    for k in KNOWN {
        if k.as_bytes() == value {
            return HeaderValue::from_static(k);
        }
    }
    HeaderValue::from_bytes(value).unwrap_or(HeaderValue::from_static("Origin"))
}

/// The header lines of `name` in `headers`, into `buf`, without allocating.
fn lines<'b, 'r: 'b>(
    headers: &'r HeaderMap,
    name: &HeaderName,
    buf: &'b mut [&'r [u8]],
) -> Values<'b> {
    Values::collect_into(headers.get_all(name).iter().map(HeaderValue::as_bytes), buf)
}

/// `Access-Control-Request-Private-Network` (evaluated at compile time: at run time
/// `HeaderName::from_static` scans http's whole standard-header table).
const ACRPN: HeaderName = HeaderName::from_static("access-control-request-private-network");
/// `Access-Control-Allow-Private-Network`.
const ACAPN: HeaderName = HeaderName::from_static("access-control-allow-private-network");

/// The `HeaderName` of a name the engine produced, without `HeaderName::from_static`
/// at run time (which compares the name with each of http's ~90 standard names).
fn header_name(name: &'static str) -> HeaderName {
    match name {
        "access-control-allow-origin" => header::ACCESS_CONTROL_ALLOW_ORIGIN,
        "access-control-allow-credentials" => header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        "access-control-allow-methods" => header::ACCESS_CONTROL_ALLOW_METHODS,
        "access-control-allow-headers" => header::ACCESS_CONTROL_ALLOW_HEADERS,
        "access-control-expose-headers" => header::ACCESS_CONTROL_EXPOSE_HEADERS,
        "access-control-max-age" => header::ACCESS_CONTROL_MAX_AGE,
        "access-control-allow-private-network" => ACAPN,
        "vary" => header::VARY,
        other => HeaderName::from_static(other),
    }
}

impl Ours {
    /// An adapter over `policy` (its engine built and its header values prepared once).
    pub fn new(policy: &'static Policy) -> Self {
        Ours {
            engine: policy.engine().expect("tables load"),
            expose: policy_value(&policy.expose_headers),
            max_age: policy_value(&policy.max_age),
            allow_headers: policy_value(&policy.allow_headers_value),
        }
    }

    /// The engine, for `Engine::decide` alone.
    pub fn engine(&self) -> &Engine<'static> {
        &self.engine
    }

    /// One decided header as a `HeaderValue`, reusing the request's or the policy's
    /// values where the bytes are theirs.
    fn value(&self, h: Header<'_>, req: &HeaderMap) -> Option<HeaderValue> {
        let same = |v: &HeaderValue| v.as_bytes() == h.value;
        let reuse = |v: Option<&HeaderValue>| v.filter(|v| same(v)).cloned();
        let found = match h.name {
            "access-control-allow-credentials" | "access-control-allow-private-network" => {
                Some(HeaderValue::from_static("true"))
            }
            "access-control-allow-origin" if h.value == b"*" => Some(HeaderValue::from_static("*")),
            "access-control-allow-origin" => reuse(req.get(header::ORIGIN)),
            "access-control-allow-methods" => reuse(req.get(header::ACCESS_CONTROL_REQUEST_METHOD)),
            "access-control-expose-headers" => reuse(self.expose.as_ref()),
            "access-control-max-age" => reuse(self.max_age.as_ref()),
            "access-control-allow-headers" => reuse(self.allow_headers.as_ref()).or_else(|| {
                req.get_all(header::ACCESS_CONTROL_REQUEST_HEADERS)
                    .iter()
                    .find(|v| same(v))
                    .cloned()
            }),
            _ => None,
        };
        // Every value the engine produces is visible ASCII, so the copy never fails.
        found.or_else(|| HeaderValue::from_bytes(h.value).ok())
    }

    /// The whole middleware: read the request's CORS headers, decide, answer a
    /// preflight or call the application, write the headers, merge `Vary`.
    pub fn handle(&self, req: Request<()>) -> Response<()> {
        // At most 4 headers for an actual request: allow-origin, -credentials,
        // -expose-headers (and Vary, merged separately).
        let mut add: [Option<(HeaderName, HeaderValue)>; 3] = [None, None, None];
        let vary: &'static [&'static str];
        let vary_value: HeaderValue;
        {
            let h = req.headers();
            let mut origin_buf: [&[u8]; 2] = [b""; 2];
            // Only a preflight needs these (initialized there: the 64-line buffer is
            // 1 KiB of stack).
            let mut method_buf: [&[u8]; 2];
            let mut headers_buf: [&[u8]; limits::MAX_REQUEST_HEADER_LINES];
            let mut pna_buf: [&[u8]; 2];
            let mut cr = CorsRequest::new(req.method().as_str().as_bytes()).origins(lines(
                h,
                &header::ORIGIN,
                &mut origin_buf,
            ));
            if req.method() == Method::OPTIONS {
                method_buf = [b""; 2];
                cr.request_method =
                    lines(h, &header::ACCESS_CONTROL_REQUEST_METHOD, &mut method_buf);
                if !cr.request_method.is_absent() {
                    headers_buf = [b""; limits::MAX_REQUEST_HEADER_LINES];
                    cr.request_headers =
                        lines(h, &header::ACCESS_CONTROL_REQUEST_HEADERS, &mut headers_buf);
                    pna_buf = [b""; 2];
                    cr.request_private_network = lines(h, &ACRPN, &mut pna_buf);
                }
            }
            let d = self.engine.decide(&cr);
            if d.kind() == Kind::Preflight {
                let mut res = Response::new(());
                *res.status_mut() = StatusCode::from_u16(d.status().unwrap_or(403))
                    .unwrap_or(StatusCode::FORBIDDEN);
                let out = res.headers_mut();
                for x in d.headers() {
                    if x.name == "vary" {
                        out.append(header::VARY, static_vary(x.value));
                    } else if let Some(v) = self.value(x, h) {
                        out.append(header_name(x.name), v);
                    }
                }
                return res;
            }
            let mut n = 0;
            for x in d.cors_headers() {
                if let (Some(slot), Some(v)) = (add.get_mut(n), self.value(x, h)) {
                    *slot = Some((header_name(x.name), v));
                    n += 1;
                }
            }
            vary = d.vary();
            vary_value = match vary {
                [] => HeaderValue::from_static(""),
                [one] => HeaderValue::from_static(one),
                _ => d
                    .headers()
                    .find(|x| x.name == "vary")
                    .map_or(HeaderValue::from_static(""), |x| static_vary(x.value)),
            };
        }
        let mut res = app(req);
        let out = res.headers_mut();
        for (name, value) in add.into_iter().flatten() {
            out.insert(name, value);
        }
        merge_vary(out, vary, vary_value);
        res
    }
}

/// Merges `names` into the response's `Vary` (never replacing the application's).
fn merge_vary(out: &mut HeaderMap, names: &[&str], value: HeaderValue) {
    if names.is_empty() {
        return;
    }
    let mut existing = out.get_all(header::VARY).iter();
    match (existing.next(), existing.next()) {
        (None, _) => {
            out.insert(header::VARY, value);
        }
        (Some(one), None) => {
            if let Cow::Owned(v) = cors_policy::vary::merge(Some(one.as_bytes()), names) {
                if let Ok(v) = HeaderValue::from_bytes(&v) {
                    out.insert(header::VARY, v);
                }
            }
        }
        (Some(_), Some(_)) => {
            // Several lines: join them first (rare; allocation is fine here).
            let joined: Vec<u8> = out
                .get_all(header::VARY)
                .iter()
                .map(HeaderValue::as_bytes)
                .collect::<Vec<_>>()
                .join(&b", "[..]);
            let merged = cors_policy::vary::merge(Some(&joined), names);
            if let Ok(v) = HeaderValue::from_bytes(&merged) {
                out.insert(header::VARY, v);
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Naive baseline: the same adapter shape, a Vec<String> scanned per request.
// ---------------------------------------------------------------------------------

/// A hand-written CORS check over `Vec<String>`s (linear scans, `ends_with` for the
/// pattern, the `regex` crate for the regex), behind the same adapter shape as
/// [`Ours`]. A baseline for "what would a quick hand-rolled middleware cost".
pub struct Naive {
    origins: Vec<String>,
    suffix: Option<(&'static str, &'static str)>,
    regex: Option<regex::bytes::Regex>,
    methods: Vec<String>,
    allow_headers: Vec<String>,
    allow_headers_value: HeaderValue,
    expose: HeaderValue,
    max_age: HeaderValue,
}

impl Naive {
    /// The baseline configured like `which`.
    pub fn new(which: Which) -> Self {
        Naive {
            origins: which.exact_origins(),
            suffix: (which == Which::Pattern).then_some(("https://", ".example.org")),
            regex: (which == Which::Regex)
                .then(|| regex::bytes::Regex::new(REGEX_SOURCE).expect("regex")),
            methods: METHODS.iter().map(|m| m.to_string()).collect(),
            allow_headers: ALLOW_HEADERS.iter().map(|h| h.to_string()).collect(),
            allow_headers_value: HeaderValue::from_str(&ALLOW_HEADERS.join(",")).expect("ascii"),
            expose: HeaderValue::from_str(&EXPOSE_HEADERS.join(",")).expect("ascii"),
            max_age: HeaderValue::from(MAX_AGE),
        }
    }

    fn origin_allowed(&self, o: &[u8]) -> bool {
        self.origins.iter().any(|x| x.as_bytes() == o)
            || self.suffix.is_some_and(|(scheme, suffix)| {
                o.len() > scheme.len() + suffix.len()
                    && o.starts_with(scheme.as_bytes())
                    && o.ends_with(suffix.as_bytes())
            })
            || self.regex.as_ref().is_some_and(|r| r.is_match(o))
    }

    /// The whole middleware, as [`Ours::handle`].
    pub fn handle(&self, req: Request<()>) -> Response<()> {
        let h = req.headers();
        let Some(origin) = h.get(header::ORIGIN).cloned() else {
            let mut res = app(req);
            merge_vary(
                res.headers_mut(),
                &["Origin"],
                HeaderValue::from_static("Origin"),
            );
            return res;
        };
        let allowed = self.origin_allowed(origin.as_bytes());
        let acrm = h.get(header::ACCESS_CONTROL_REQUEST_METHOD);
        if req.method() == Method::OPTIONS && acrm.is_some() {
            let acrm = acrm.cloned().unwrap_or(HeaderValue::from_static(""));
            let m = acrm.as_bytes();
            let method_ok = matches!(m, b"GET" | b"HEAD" | b"POST")
                || self.methods.iter().any(|x| x.as_bytes() == m);
            let headers_ok = h
                .get_all(header::ACCESS_CONTROL_REQUEST_HEADERS)
                .iter()
                .flat_map(|v| v.as_bytes().split(|&b| b == b','))
                .map(|i| i.trim_ascii())
                .filter(|i| !i.is_empty())
                .all(|i| {
                    self.allow_headers
                        .iter()
                        .any(|x| x.as_bytes().eq_ignore_ascii_case(i))
                });
            let asked_headers = h.contains_key(header::ACCESS_CONTROL_REQUEST_HEADERS);
            let mut res = Response::new(());
            if allowed && method_ok && headers_ok {
                *res.status_mut() = StatusCode::NO_CONTENT;
                let out = res.headers_mut();
                out.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                out.insert(
                    header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                    HeaderValue::from_static("true"),
                );
                out.insert(header::ACCESS_CONTROL_ALLOW_METHODS, acrm);
                if asked_headers {
                    out.insert(
                        header::ACCESS_CONTROL_ALLOW_HEADERS,
                        self.allow_headers_value.clone(),
                    );
                }
                out.insert(header::ACCESS_CONTROL_MAX_AGE, self.max_age.clone());
            } else {
                *res.status_mut() = StatusCode::FORBIDDEN;
            }
            res.headers_mut().insert(
                header::VARY,
                HeaderValue::from_static(
                    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
                ),
            );
            return res;
        }
        let mut res = app(req);
        let out = res.headers_mut();
        if allowed {
            out.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            out.insert(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
            out.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, self.expose.clone());
        }
        merge_vary(out, &["Origin"], HeaderValue::from_static("Origin"));
        res
    }
}

// ---------------------------------------------------------------------------------
// tower-http CorsLayer, driven without a runtime.
// ---------------------------------------------------------------------------------

/// The trivial inner tower service: [`app`].
#[derive(Clone, Copy, Debug)]
pub struct App;

impl tower_service::Service<Request<()>> for App {
    type Response = Response<()>;
    type Error = Infallible;
    type Future = Ready<Result<Response<()>, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<()>) -> Self::Future {
        ready(Ok(app(req)))
    }
}

/// tower-http's `CorsLayer` around [`App`].
pub type TowerCors = tower_http::cors::Cors<App>;

/// tower-http configured like `which`: `AllowOrigin::list` for exact origins (a
/// `Vec<HeaderValue>` scanned with `contains`), `AllowOrigin::predicate` for the
/// pattern (`starts_with`/`ends_with`) and the regex (`regex::bytes::Regex`).
pub fn tower_http(which: Which) -> TowerCors {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    use tower_layer::Layer;
    let origin = match which {
        Which::One | Which::Thousand => AllowOrigin::list(
            which
                .exact_origins()
                .iter()
                .map(|o| HeaderValue::from_str(o).expect("ascii")),
        ),
        Which::Pattern => AllowOrigin::predicate(|o: &HeaderValue, _| {
            let o = o.as_bytes();
            o.len() > "https://.example.org".len()
                && o.starts_with(b"https://")
                && o.ends_with(b".example.org")
        }),
        Which::Regex => {
            let re = regex::bytes::Regex::new(REGEX_SOURCE).expect("regex");
            AllowOrigin::predicate(move |o: &HeaderValue, _| re.is_match(o.as_bytes()))
        }
    };
    CorsLayer::new()
        .allow_origin(origin)
        .allow_credentials(true)
        .allow_methods(METHODS.map(|m| Method::from_bytes(m.as_bytes()).expect("method")))
        .allow_headers(ALLOW_HEADERS.map(HeaderName::from_static))
        .expose_headers(EXPOSE_HEADERS.map(HeaderName::from_static))
        .max_age(Duration::from_secs(MAX_AGE))
        .layer(App)
}

/// Polls a future once with a no-op waker; every future here is ready at once.
fn poll_once<F: Future>(fut: F) -> F::Output {
    let mut cx = Context::from_waker(Waker::noop());
    match pin!(fut).poll(&mut cx) {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("the benchmarked services never wait"),
    }
}

/// One request through a tower service: `poll_ready`, `call`, poll the response
/// future once.
pub fn tower_call<S>(svc: &mut S, req: Request<()>) -> Response<()>
where
    S: tower_service::Service<Request<()>, Response = Response<()>>,
    S::Error: std::fmt::Debug,
{
    let mut cx = Context::from_waker(Waker::noop());
    match svc.poll_ready(&mut cx) {
        Poll::Ready(r) => r.expect("ready"),
        Poll::Pending => panic!("the benchmarked services are always ready"),
    }
    poll_once(svc.call(req)).expect("infallible")
}

// ---------------------------------------------------------------------------------
// actix-cors, driven without a runtime.
// ---------------------------------------------------------------------------------

/// actix-cors configured like `which`: `allowed_origin` per exact origin (a
/// `HashSet<HeaderValue>`), `allowed_origin_fn` for the pattern and the regex.
/// `GET`, `HEAD` and `POST` are listed too: actix-cors does not treat them as
/// safelisted.
pub fn actix_cors(
    which: Which,
) -> impl actix_web::dev::Service<
    actix_web::dev::ServiceRequest,
    Response = actix_web::dev::ServiceResponse<
        actix_web::body::EitherBody<actix_web::body::BoxBody>,
    >,
    Error = actix_web::Error,
> {
    use actix_web::dev::Transform;
    let mut cors = actix_cors::Cors::default();
    for o in which.exact_origins() {
        cors = cors.allowed_origin(&o);
    }
    match which {
        Which::Pattern => {
            cors = cors.allowed_origin_fn(|o, _| {
                let o = o.as_bytes();
                o.len() > "https://.example.org".len()
                    && o.starts_with(b"https://")
                    && o.ends_with(b".example.org")
            })
        }
        Which::Regex => {
            let re = regex::bytes::Regex::new(REGEX_SOURCE).expect("regex");
            cors = cors.allowed_origin_fn(move |o, _| re.is_match(o.as_bytes()));
        }
        Which::One | Which::Thousand => {}
    }
    let cors = cors
        .allowed_methods(["GET", "HEAD", "POST"].into_iter().chain(METHODS))
        .allowed_headers(ALLOW_HEADERS)
        .expose_headers(EXPOSE_HEADERS)
        .supports_credentials()
        .max_age(MAX_AGE as usize);
    poll_once(cors.new_transform(actix_web::test::ok_service())).expect("transform")
}

/// actix-web's `test::ok_service()` alone (no CORS): the application actix-cors wraps.
pub fn actix_app() -> impl actix_web::dev::Service<
    actix_web::dev::ServiceRequest,
    Response = actix_web::dev::ServiceResponse,
    Error = actix_web::Error,
> {
    actix_web::test::ok_service()
}

/// One request through actix-cors: `call`, poll the response future once.
pub fn actix_call<S>(svc: &S, req: actix_web::dev::ServiceRequest) -> S::Response
where
    S: actix_web::dev::Service<actix_web::dev::ServiceRequest, Error = actix_web::Error>,
{
    poll_once(svc.call(req)).expect("actix-cors answers")
}

// ---------------------------------------------------------------------------------
// The check that every implementation answers every case as expected.
// ---------------------------------------------------------------------------------

/// What a response said: its status and `Access-Control-Allow-Origin`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The status code.
    pub status: u16,
    /// `Access-Control-Allow-Origin`, if any.
    pub allow_origin: Option<String>,
}

fn outcome(res: &Response<()>) -> Outcome {
    Outcome {
        status: res.status().as_u16(),
        allow_origin: res
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .map(|v| v.to_str().unwrap_or("?").to_owned()),
    }
}

/// The implementations, as named in the benchmark ids and the report.
pub const IMPLS: [&str; 6] = [
    "ours-middleware/macro",
    "ours-middleware/yaml",
    "naive-vec",
    "tower-http",
    "actix-cors",
    "ours-decide/macro",
];

/// Runs `case` through every implementation and returns each one's outcome.
pub fn outcomes(case: &Case) -> Vec<(&'static str, Outcome)> {
    let mut out = vec![
        (
            "ours-middleware/macro",
            outcome(&Ours::new(case.policy.macro_policy()).handle(case.http_request())),
        ),
        (
            "ours-middleware/yaml",
            outcome(&Ours::new(case.policy.yaml_policy()).handle(case.http_request())),
        ),
        (
            "naive-vec",
            outcome(&Naive::new(case.policy).handle(case.http_request())),
        ),
        (
            "tower-http",
            outcome(&tower_call(
                &mut tower_http(case.policy),
                case.http_request(),
            )),
        ),
    ];
    let actix = actix_cors(case.policy);
    let res = actix_call(&actix, case.actix_request());
    out.push((
        "actix-cors",
        Outcome {
            status: res.status().as_u16(),
            allow_origin: res
                .headers()
                .get(actix_web::http::header::ACCESS_CONTROL_ALLOW_ORIGIN)
                .map(|v| v.to_str().unwrap_or("?").to_owned()),
        },
    ));
    out
}

/// Panics unless every implementation answers every case as expected: the origin
/// echoed exactly when allowed. Known, documented differences: tower-http does not
/// check preflight methods or headers (the browser does), so it allows
/// `preflight/denied-header`; statuses differ (see docs/benchmarks.md).
pub fn check() {
    for case in &CASES {
        for (name, got) in outcomes(case) {
            let tower_skips_header_check =
                name == "tower-http" && case.name == "preflight/denied-header";
            let want_origin = match case.expect {
                Expect::Allowed => case.origin,
                Expect::Denied if tower_skips_header_check => case.origin,
                Expect::Denied | Expect::NotCors => None,
            };
            assert_eq!(
                got.allow_origin.as_deref(),
                want_origin,
                "{name} on {}: {got:?}",
                case.name
            );
        }
    }
}
