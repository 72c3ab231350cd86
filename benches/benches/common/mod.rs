//! Shared by the bench binaries: the policies, the request cases, the two
//! applications (an empty response, and a realistic one with its own `Content-Type`
//! and `Vary`), and one entry point per implementation: our shipped tower `CorsLayer`
//! and tower-http's, driven as tower services (`http::Request<()>` in,
//! `http::Response<()>` out), and our shipped actix-web middleware and actix-cors,
//! driven as actix-web services.
//!
//! Every implementation is configured with the same policy as far as it can express
//! it; [`check`] runs every case through every implementation and panics when an
//! outcome differs from the expected one, so a benchmark never compares a fast wrong
//! answer with a slow right one.

// Each bench binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::convert::Infallible;
use std::future::{ready, Future, Ready};
use std::pin::pin;
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use cors_policy::cors_policy;
use cors_policy::engine::{Engine, Request as CorsRequest, Values};
use cors_policy::Policy;
use http::header::{self, HeaderName, HeaderValue};
use http::{Method, Request, Response};

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
    /// 100,000 exact origins, generated ([`hundred_k_yaml`]) and loaded at run time.
    HundredK,
}

/// The number of origins in `policies/thousand.yaml`.
pub const THOUSAND_LEN: usize = 1000;
/// The number of origins of [`Which::HundredK`].
pub const HUNDRED_K_LEN: usize = 100_000;

/// The 100,000-origin policy file (`https://app0.example.com` ... `app99999`, the
/// settings of `policies/one.yaml`), generated rather than checked in.
pub fn hundred_k_yaml() -> String {
    let one = include_str!("../../policies/one.yaml");
    let settings = one
        .split_once("credentials:")
        .map(|(_, rest)| format!("credentials:{rest}"))
        .expect("one.yaml has credentials");
    let mut yaml = String::with_capacity(HUNDRED_K_LEN * 40);
    yaml.push_str("origins:\n");
    for i in 0..HUNDRED_K_LEN {
        yaml.push_str(&format!("  - https://app{i}.example.com\n"));
    }
    yaml + &settings
}
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
    /// The policy compiled by the `cors_policy!` macro (the YAML-loaded one for
    /// [`Which::HundredK`], which is generated at run time).
    pub fn macro_policy(self) -> &'static Policy {
        match self {
            Which::One => &ONE,
            Which::Thousand => &THOUSAND,
            Which::Pattern => &PATTERN,
            Which::Regex => &REGEX,
            Which::HundredK => self.yaml_policy(),
        }
    }

    /// The policy file's text.
    pub fn yaml(self) -> String {
        match self {
            Which::One => include_str!("../../policies/one.yaml").to_owned(),
            Which::Thousand => include_str!("../../policies/thousand.yaml").to_owned(),
            Which::Pattern => include_str!("../../policies/pattern.yaml").to_owned(),
            Which::Regex => include_str!("../../policies/regex.yaml").to_owned(),
            Which::HundredK => hundred_k_yaml(),
        }
    }

    /// The same file loaded at run time with `cors_policy::from_yaml`, once per policy
    /// (kept for the whole run, as a server would).
    pub fn yaml_policy(self) -> &'static Policy {
        static LOADED: [OnceLock<Policy>; 5] = [const { OnceLock::new() }; 5];
        LOADED[self as usize]
            .get_or_init(|| cors_policy::from_yaml(&self.yaml()).expect("bench policy is valid"))
    }

    /// The exact origins, in the order the file lists them.
    pub fn exact_origins(self) -> Vec<String> {
        match self {
            Which::One => vec!["https://app.example.com".to_owned()],
            Which::Thousand => (0..THOUSAND_LEN)
                .map(|i| format!("https://app{i}.example.com"))
                .collect(),
            Which::HundredK => (0..HUNDRED_K_LEN)
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

/// The application behind every layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppKind {
    /// An empty 200: no headers, no body (what the layer alone costs).
    Empty,
    /// A 200 with `Content-Type: application/json` and its own `Vary:
    /// Accept-Encoding` (the layer adds to a response that already has headers, and
    /// merges `Vary`).
    Realistic,
}

/// One benchmarked request.
#[derive(Clone, Debug)]
pub struct Case {
    /// The benchmark group name.
    pub name: &'static str,
    /// The policy it runs against.
    pub policy: Which,
    /// The application behind the layer.
    pub app: AppKind,
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
        app: AppKind::Empty,
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
        app: AppKind::Empty,
        method: "OPTIONS",
        origin: Some(origin),
        request_method: Some("PUT"),
        request_headers: Some(acrh),
        expect: e,
    }
}

const fn realistic(case: Case, name: &'static str) -> Case {
    Case {
        name,
        app: AppKind::Realistic,
        ..case
    }
}

/// Every case, in report order.
pub const CASES: [Case; 17] = [
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
        app: AppKind::Empty,
        method: "GET",
        origin: None,
        request_method: None,
        request_headers: None,
        expect: Expect::NotCors,
    },
    actual(
        "actual/100k/allowed",
        Which::HundredK,
        "https://app50000.example.com",
        Expect::Allowed,
    ),
    actual(
        "actual/100k/denied",
        Which::HundredK,
        "https://evil.example.net",
        Expect::Denied,
    ),
    realistic(
        actual("", Which::One, "https://app.example.com", Expect::Allowed),
        "realistic-app/1-origin/allowed",
    ),
    realistic(
        actual("", Which::One, "https://evil.example.net", Expect::Denied),
        "realistic-app/1-origin/denied",
    ),
    realistic(
        actual(
            "",
            Which::HundredK,
            "https://app50000.example.com",
            Expect::Allowed,
        ),
        "realistic-app/100k/allowed",
    ),
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

    /// The request as an actix-web `ServiceRequest`, its header values static as in
    /// [`Case::http_request`] (a value copied from a `&str` is a `Bytes` that
    /// allocates on its first clone; a server's parsed values are shared already).
    pub fn actix_request(&self) -> actix_web::dev::ServiceRequest {
        use actix_web::http::header::{self as ah, HeaderValue as V};
        let method = actix_web::http::Method::from_bytes(self.method.as_bytes()).expect("method");
        let mut t = actix_web::test::TestRequest::default()
            .method(method)
            .uri("/api/items")
            .insert_header((ah::ACCEPT, V::from_static("application/json")));
        if let Some(o) = self.origin {
            t = t.insert_header((ah::ORIGIN, V::from_static(o)));
        }
        if let Some(m) = self.request_method {
            t = t.insert_header((ah::ACCESS_CONTROL_REQUEST_METHOD, V::from_static(m)));
        }
        if let Some(h) = self.request_headers {
            t = t.insert_header((ah::ACCESS_CONTROL_REQUEST_HEADERS, V::from_static(h)));
        }
        t.to_srv_request()
    }
}

/// The empty application: drops the request, answers an empty 200.
pub fn app(req: Request<()>) -> Response<()> {
    drop(req);
    Response::new(())
}

/// The realistic application: drops the request, answers a 200 with its own
/// `Content-Type` and `Vary`.
pub fn realistic_app(req: Request<()>) -> Response<()> {
    drop(req);
    let mut res = Response::new(());
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    res
}

// ---------------------------------------------------------------------------------
// tower: our CorsLayer and tower-http's, driven without a runtime.
// ---------------------------------------------------------------------------------

/// The inner tower service: [`app`] or [`realistic_app`].
#[derive(Clone, Copy, Debug)]
pub struct App(pub AppKind);

impl tower_service::Service<Request<()>> for App {
    type Response = Response<()>;
    type Error = Infallible;
    type Future = Ready<Result<Response<()>, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<()>) -> Self::Future {
        ready(Ok(match self.0 {
            AppKind::Empty => app(req),
            AppKind::Realistic => realistic_app(req),
        }))
    }
}

/// Our shipped tower layer around [`App`].
pub type OursTower = cors_policy::tower::CorsService<App>;

/// `cors_policy::tower::CorsLayer` for `policy` around the `kind` application.
pub fn ours_tower(policy: &'static Policy, kind: AppKind) -> OursTower {
    use tower_layer::Layer;
    cors_policy::tower::CorsLayer::new(policy)
        .expect("tables load")
        .layer(App(kind))
}

/// The engine of `policy`, for `Engine::decide` alone.
pub fn engine(policy: &'static Policy) -> Engine<'static> {
    policy.engine().expect("tables load")
}

/// tower-http's `CorsLayer` around [`App`].
pub type TowerCors = tower_http::cors::Cors<App>;

/// tower-http configured like `which`: `AllowOrigin::list` for exact origins (a
/// `Vec<HeaderValue>` scanned with `contains`), `AllowOrigin::predicate` for the
/// pattern (`starts_with`/`ends_with`) and the regex (`regex::bytes::Regex`).
pub fn tower_http(which: Which, kind: AppKind) -> TowerCors {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    use tower_layer::Layer;
    let origin = match which {
        Which::One | Which::Thousand | Which::HundredK => AllowOrigin::list(
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
        .layer(App(kind))
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
// actix-web: our middleware and actix-cors, driven without a runtime.
// ---------------------------------------------------------------------------------

/// The inner actix-web service: an empty 200, or the realistic one.
#[derive(Clone, Copy, Debug)]
pub struct ActixApp(pub AppKind);

impl actix_web::dev::Service<actix_web::dev::ServiceRequest> for ActixApp {
    type Response = actix_web::dev::ServiceResponse;
    type Error = actix_web::Error;
    type Future = Ready<Result<Self::Response, Self::Error>>;

    fn poll_ready(&self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&self, req: actix_web::dev::ServiceRequest) -> Self::Future {
        use actix_web::http::header as ah;
        let res = match self.0 {
            AppKind::Empty => actix_web::HttpResponse::Ok().finish(),
            AppKind::Realistic => actix_web::HttpResponse::Ok()
                .insert_header((
                    ah::CONTENT_TYPE,
                    ah::HeaderValue::from_static("application/json"),
                ))
                .insert_header((ah::VARY, ah::HeaderValue::from_static("Accept-Encoding")))
                .finish(),
        };
        ready(Ok(req.into_response(res)))
    }
}

/// The response type of both actix-web CORS middlewares.
pub type ActixResponse<B> = actix_web::dev::ServiceResponse<actix_web::body::EitherBody<B>>;

/// Our shipped actix-web middleware for `policy` around the `kind` application.
pub fn ours_actix(
    policy: &'static Policy,
    kind: AppKind,
) -> impl actix_web::dev::Service<
    actix_web::dev::ServiceRequest,
    Response = ActixResponse<actix_web::body::BoxBody>,
    Error = actix_web::Error,
> {
    use actix_web::dev::Transform;
    let cors = cors_policy::actix::Cors::new(policy).expect("tables load");
    poll_once(cors.new_transform(ActixApp(kind))).expect("transform")
}

/// actix-cors configured like `which`: `allowed_origin` per exact origin (a
/// `HashSet<HeaderValue>`), `allowed_origin_fn` for the pattern and the regex.
/// `GET`, `HEAD` and `POST` are listed too: actix-cors does not treat them as
/// safelisted.
pub fn actix_cors(
    which: Which,
    kind: AppKind,
) -> impl actix_web::dev::Service<
    actix_web::dev::ServiceRequest,
    Response = ActixResponse<actix_web::body::BoxBody>,
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
        Which::One | Which::Thousand | Which::HundredK => {}
    }
    let cors = cors
        .allowed_methods(["GET", "HEAD", "POST"].into_iter().chain(METHODS))
        .allowed_headers(ALLOW_HEADERS)
        .expose_headers(EXPOSE_HEADERS)
        .supports_credentials()
        .max_age(MAX_AGE as usize);
    poll_once(cors.new_transform(ActixApp(kind))).expect("transform")
}

/// One request through an actix-web service: `call`, poll the response future once.
pub fn actix_call<S>(svc: &S, req: actix_web::dev::ServiceRequest) -> S::Response
where
    S: actix_web::dev::Service<actix_web::dev::ServiceRequest, Error = actix_web::Error>,
{
    poll_once(svc.call(req)).expect("the service answers")
}

// ---------------------------------------------------------------------------------
// The check that every implementation answers every case as expected.
// ---------------------------------------------------------------------------------

/// What a response said: its status, `Access-Control-Allow-Origin` and `Vary`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The status code.
    pub status: u16,
    /// `Access-Control-Allow-Origin`, if any.
    pub allow_origin: Option<String>,
    /// Every `Vary` line, joined.
    pub vary: String,
}

fn outcome(res: &Response<()>) -> Outcome {
    Outcome {
        status: res.status().as_u16(),
        allow_origin: res
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .map(|v| v.to_str().unwrap_or("?").to_owned()),
        vary: joined(
            res.headers()
                .get_all(header::VARY)
                .iter()
                .map(|v| v.as_bytes()),
        ),
    }
}

fn actix_outcome<B>(res: &actix_web::dev::ServiceResponse<B>) -> Outcome {
    use actix_web::http::header as ah;
    Outcome {
        status: res.status().as_u16(),
        allow_origin: res
            .headers()
            .get(ah::ACCESS_CONTROL_ALLOW_ORIGIN)
            .map(|v| v.to_str().unwrap_or("?").to_owned()),
        vary: joined(res.headers().get_all(ah::VARY).map(|v| v.as_bytes())),
    }
}

fn joined<'a>(lines: impl Iterator<Item = &'a [u8]>) -> String {
    lines
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs `case` through every implementation and returns each one's outcome.
pub fn outcomes(case: &Case) -> Vec<(&'static str, Outcome)> {
    let policy = case.policy.macro_policy();
    let ours = actix_call(&ours_actix(policy, case.app), case.actix_request());
    let peer = actix_call(&actix_cors(case.policy, case.app), case.actix_request());
    vec![
        (
            "ours-tower",
            outcome(&tower_call(
                &mut ours_tower(policy, case.app),
                case.http_request(),
            )),
        ),
        (
            "ours-tower/yaml",
            outcome(&tower_call(
                &mut ours_tower(case.policy.yaml_policy(), case.app),
                case.http_request(),
            )),
        ),
        (
            "tower-http",
            outcome(&tower_call(
                &mut tower_http(case.policy, case.app),
                case.http_request(),
            )),
        ),
        ("ours-actix", actix_outcome(&ours)),
        ("actix-cors", actix_outcome(&peer)),
    ]
}

/// Panics unless every implementation answers every case as expected: the origin
/// echoed exactly when allowed, and (ours) the application's `Vary` kept. Known,
/// documented differences: tower-http does not check preflight methods or headers
/// (the browser does), so it allows `preflight/denied-header`; statuses differ (see
/// docs/benchmarks.md).
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
            if name.starts_with("ours") && case.app == AppKind::Realistic {
                assert_eq!(
                    got.vary, "Accept-Encoding, Origin",
                    "{name} on {}",
                    case.name
                );
            }
        }
    }
}
