//! The adapters add no heap allocation of their own to a request, on every path: a
//! counting global allocator compares each request through the tower service and
//! the actix-web middleware with the same request through the bare application.
//!
//! "Of their own": the application's allocations are the baseline, and a preflight
//! answer (the application is not called) is compared with building its response
//! alone (the response and its header map, which any CORS layer must create). Cloning
//! a layer or middleware allocates nothing either, whatever the policy's size.
//!
//! One test in this file, so that no other test thread allocates while it counts.

use std::alloc::System;
use std::convert::Infallible;
use std::future::{ready, Future, Ready};
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use actix_web::dev::{Service as _, Transform as _};
use cors_policy::cors_policy;
use cors_policy::Policy;
use http::{HeaderMap, HeaderValue, Request, Response};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};
use tower::{Layer as _, Service as _};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

static MACRO_POLICY: Policy = cors_policy!(file = "tests/policy.yaml");

/// How many allocations and reallocations `f` makes.
fn allocations<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let region = Region::new(GLOBAL);
    let out = f();
    let stats = region.change();
    (stats.allocations + stats.reallocations, out)
}

fn poll_once<F: Future>(fut: F) -> F::Output {
    let mut cx = Context::from_waker(Waker::noop());
    match pin!(fut).poll(&mut cx) {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("every service here is ready at once"),
    }
}

/// A realistic application: a content type, a request id, and optionally its own
/// `Vary`, in a header map it sizes itself.
#[derive(Clone, Copy)]
struct App {
    vary: Option<&'static str>,
}

impl tower::Service<Request<()>> for App {
    type Response = Response<String>;
    type Error = Infallible;
    type Future = Ready<Result<Response<String>, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<()>) -> Self::Future {
        drop(req);
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        headers.insert("x-request-id", HeaderValue::from_static("7"));
        if let Some(vary) = self.vary {
            headers.insert("vary", HeaderValue::from_static(vary));
        }
        let mut res = Response::new(String::new());
        *res.headers_mut() = headers;
        ready(Ok(res))
    }
}

/// One request, described once for both frameworks.
struct Case {
    name: &'static str,
    method: &'static str,
    headers: &'static [(&'static str, &'static str)],
    preflight: bool,
}

const APP: &str = "https://app.example.com";

const CASES: &[Case] = &[
    Case {
        name: "actual allowed (exact)",
        method: "GET",
        headers: &[("origin", APP)],
        preflight: false,
    },
    Case {
        name: "actual allowed (pattern)",
        method: "POST",
        headers: &[("origin", "https://a.b.preview.example.com")],
        preflight: false,
    },
    Case {
        name: "actual allowed (regex)",
        method: "GET",
        headers: &[("origin", "https://us-7.example.com")],
        preflight: false,
    },
    Case {
        name: "actual denied",
        method: "GET",
        headers: &[("origin", "https://evil.example")],
        preflight: false,
    },
    Case {
        name: "two origins",
        method: "GET",
        headers: &[("origin", APP), ("origin", "https://evil.example")],
        preflight: false,
    },
    Case {
        name: "no origin",
        method: "GET",
        headers: &[],
        preflight: false,
    },
    Case {
        name: "plain OPTIONS",
        method: "OPTIONS",
        headers: &[("origin", APP)],
        preflight: false,
    },
    Case {
        name: "preflight allowed",
        method: "OPTIONS",
        headers: &[
            ("origin", APP),
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "content-type,x-trace"),
        ],
        preflight: true,
    },
    Case {
        name: "preflight allowed, request headers on two lines",
        method: "OPTIONS",
        headers: &[
            ("origin", APP),
            ("access-control-request-method", "DELETE"),
            ("access-control-request-headers", "content-type"),
            ("access-control-request-headers", "x-trace"),
        ],
        preflight: true,
    },
    Case {
        name: "preflight denied origin",
        method: "OPTIONS",
        headers: &[
            ("origin", "https://evil.example"),
            ("access-control-request-method", "PUT"),
        ],
        preflight: true,
    },
    Case {
        name: "preflight denied header",
        method: "OPTIONS",
        headers: &[
            ("origin", APP),
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "x-evil"),
        ],
        preflight: true,
    },
];

/// A header value backed by a reference-counted buffer, as a server's parser makes
/// them (hyper and actix-web slice the read buffer), so that cloning it is a reference
/// count. A value made from a `&str` owns a fresh `Vec` instead, and its first clone
/// allocates the shared count: an artifact of building requests by hand.
fn shared_bytes(value: &str) -> bytes::Bytes {
    let bytes = bytes::Bytes::from(value.as_bytes().to_vec());
    drop(bytes.clone()); // now reference-counted
    bytes
}

impl Case {
    fn http(&self) -> Request<()> {
        let mut b = Request::builder().method(self.method).uri("/items");
        for &(name, value) in self.headers {
            let value = HeaderValue::from_maybe_shared(shared_bytes(value)).expect("value");
            b = b.header(name, value);
        }
        b.body(()).expect("request")
    }

    fn actix(&self) -> actix_web::dev::ServiceRequest {
        let method = actix_web::http::Method::from_bytes(self.method.as_bytes()).expect("method");
        let mut t = actix_web::test::TestRequest::default()
            .method(method)
            .uri("/items");
        for &(name, value) in self.headers {
            let value =
                actix_web::http::header::HeaderValue::from_maybe_shared(shared_bytes(value))
                    .expect("value");
            t = t.append_header((name, value));
        }
        t.to_srv_request()
    }
}

/// What building a preflight answer costs any layer: an empty response with room
/// for its headers.
fn preflight_response_baseline() -> usize {
    allocations(|| {
        let mut res = Response::new(String::new());
        *res.headers_mut() = HeaderMap::with_capacity(8);
        res
    })
    .0
}

fn tower_case(policy: &cors_policy::tower::CorsLayer, app: App, case: &Case) -> (usize, usize) {
    let mut service = policy.layer(app);
    let mut bare = app;
    let mut cx = Context::from_waker(Waker::noop());
    let _ = service.poll_ready(&mut cx);
    let (ours, res) = {
        let req = case.http();
        allocations(|| poll_once(service.call(req)).expect("infallible"))
    };
    drop(res);
    let baseline = if case.preflight {
        preflight_response_baseline()
    } else {
        let req = case.http();
        allocations(|| poll_once(bare.call(req)).expect("infallible")).0
    };
    (ours, baseline)
}

#[test]
fn adapters_allocate_nothing_of_their_own() {
    let layers = [
        (
            "macro",
            cors_policy::tower::CorsLayer::new(&MACRO_POLICY).expect("layer"),
        ),
        (
            "yaml",
            cors_policy::tower::CorsLayer::new(
                cors_policy::from_yaml(include_str!("policy.yaml")).expect("valid"),
            )
            .expect("layer"),
        ),
    ];
    let apps = [
        ("no Vary", App { vary: None }),
        (
            "Vary: Accept-Encoding",
            App {
                vary: Some("Accept-Encoding"),
            },
        ),
        (
            "Vary: Origin",
            App {
                vary: Some("Origin"),
            },
        ),
    ];

    // Warm up: lazy statics, the per-thread merged Vary, tracing's callsites.
    for (_, layer) in &layers {
        for (_, app) in apps {
            for case in CASES {
                tower_case(layer, app, case);
            }
        }
    }
    for (policy, layer) in &layers {
        for (app_name, app) in apps {
            for case in CASES {
                let (ours, baseline) = tower_case(layer, app, case);
                assert_eq!(
                    ours, baseline,
                    "tower, {policy} policy, app with {app_name}, {}: {ours} allocations, the bare app or answer {baseline}",
                    case.name
                );
            }
        }
        let (n, clone) = allocations(|| layer.clone());
        assert_eq!(n, 0, "cloning a layer allocates");
        drop(clone);
    }

    // actix-web: the middleware around `ok_service` against `ok_service` alone.
    let cors = cors_policy::actix::Cors::new(&MACRO_POLICY).expect("middleware");
    let middleware = poll_once(cors.new_transform(actix_web::test::ok_service())).expect("new");
    let bare = actix_web::test::ok_service();
    let actix_preflight_baseline = || {
        let req = CASES[7].actix();
        allocations(|| {
            let mut res = actix_web::HttpResponse::new(actix_web::http::StatusCode::NO_CONTENT);
            *res.headers_mut() = actix_web::http::header::HeaderMap::with_capacity(8);
            req.into_response(res)
        })
        .0
    };
    let actix_case = |case: &Case| {
        let req = case.actix();
        let (ours, res) = allocations(|| poll_once(middleware.call(req)).expect("answer"));
        drop(res);
        let baseline = if case.preflight {
            actix_preflight_baseline()
        } else {
            let req = case.actix();
            let (n, res) = allocations(|| poll_once(bare.call(req)).expect("answer"));
            drop(res);
            n
        };
        (ours, baseline)
    };
    for case in CASES {
        actix_case(case);
    }
    for case in CASES {
        let (ours, baseline) = actix_case(case);
        assert_eq!(
            ours, baseline,
            "actix, {}: {ours} allocations, the bare app or answer {baseline}",
            case.name
        );
    }
    let (n, clone) = allocations(|| cors.clone());
    assert_eq!(n, 0, "cloning the middleware allocates");
    drop(clone);

    // The counter counts.
    let (n, _) = allocations(|| cors_policy::tower::CorsLayer::new(&MACRO_POLICY));
    assert!(n > 0, "the counting allocator counts");
}
