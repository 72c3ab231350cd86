//! A bounded load test of the tower adapter in a real server: hyper serving an app
//! behind `cors_policy::tower::CorsLayer`, and the same server and app behind
//! tower-http's `CorsLayer` configured for the same policy, driven in one run by the
//! same client: keep-alive connections on loopback sending a fixed mix of allowed and
//! denied, actual and preflight requests. Every answer is checked (a fast wrong answer
//! is no result), then throughput and latency percentiles are printed.
//!
//! CI runs a small bounded version; the figures in docs/benchmarks.md come from
//!
//! ```text
//! CORS_LOAD_REQUESTS=50000 CORS_LOAD_CONNECTIONS=64 \
//!     cargo test --release -p cors-policy-tests --test load -- --nocapture
//! ```

use std::convert::Infallible;
use std::future::{ready, Ready};
use std::net::SocketAddr;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use cors_policy_tests::raw_http::{request, Conn, Outcome, Response};
use http::{header, HeaderValue, Method};
use http_body_util::Full;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;

const POLICY: &str = r#"
origins:
  - https://app.example.com
  - https://*.example.org
credentials: true
methods: [PUT, DELETE]
allow_headers: [content-type, x-request-id]
expose_headers: [x-request-id]
max_age: 600
"#;

/// The application: 200 `{"ok":true}`, JSON, with its own `Vary`.
#[derive(Clone)]
struct App;

impl<B> tower_service::Service<http::Request<B>> for App {
    type Response = http::Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: http::Request<B>) -> Self::Future {
        let mut res = http::Response::new(Full::new(Bytes::from_static(b"{\"ok\":true}")));
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        h.insert("x-request-id", HeaderValue::from_static("1"));
        ready(Ok(res))
    }
}

/// tower-http's layer, configured for [`POLICY`] as far as it can express it.
fn tower_http_layer() -> tower_http::cors::CorsLayer {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin: &HeaderValue, _| {
            let o = origin.as_bytes();
            o == b"https://app.example.com"
                || o.strip_prefix(b"https://")
                    .and_then(|h| h.strip_suffix(b".example.org"))
                    .is_some_and(|labels| {
                        !labels.is_empty()
                            && labels.split(|&b| b == b'.').all(|l| {
                                !l.is_empty()
                                    && l.iter().all(|b| {
                                        b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-'
                                    })
                            })
                    })
        }))
        .allow_credentials(true)
        .allow_methods([
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::DELETE,
        ])
        .allow_headers([header::CONTENT_TYPE, "x-request-id".parse().unwrap()])
        .expose_headers(["x-request-id".parse::<header::HeaderName>().unwrap()])
        .max_age(Duration::from_secs(600))
}

/// A hyper HTTP/1.1 server on an ephemeral loopback port, serving `service` on its own
/// runtime until dropped.
struct Server {
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    fn start<S>(service: S) -> Server
    where
        S: tower_service::Service<
                http::Request<hyper::body::Incoming>,
                Response = http::Response<Full<Bytes>>,
                Error = Infallible,
            > + Clone
            + Send
            + 'static,
        S::Future: Send + 'static,
    {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_io()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let service = TowerToHyperService::new(service.clone());
                tokio::spawn(async move {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Server {
            addr,
            runtime: Some(runtime),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// One request of the mix and what a browser must make of its answer.
struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    method: &'static str,
    origin: Option<&'static str>,
    preflight: bool,
    /// What a browser must allow.
    allowed: bool,
    /// For a preflight: the method and headers asked for.
    asks: (&'static str, &'static [&'static str]),
}

fn cases() -> Vec<Case> {
    let actual = |name, origin: Option<&'static str>, allowed| {
        let mut h: Vec<(&[u8], &[u8])> = vec![];
        if let Some(o) = origin {
            h.push((b"Origin", o.as_bytes()));
        }
        Case {
            name,
            bytes: request("GET", "/items", &h),
            method: "GET",
            origin,
            preflight: false,
            allowed,
            asks: ("", &[]),
        }
    };
    let preflight = |name,
                     origin: &'static str,
                     method: &'static str,
                     headers: &'static [&'static str],
                     allowed| {
        let joined = headers.join(", ");
        let mut h: Vec<(&[u8], &[u8])> = vec![
            (b"Origin", origin.as_bytes()),
            (b"Access-Control-Request-Method", method.as_bytes()),
        ];
        if !headers.is_empty() {
            h.push((b"Access-Control-Request-Headers", joined.as_bytes()));
        }
        Case {
            name,
            bytes: request("OPTIONS", "/items", &h),
            method: "OPTIONS",
            origin: Some(origin),
            preflight: true,
            allowed,
            asks: (method, headers),
        }
    };
    vec![
        actual(
            "actual, exact origin",
            Some("https://app.example.com"),
            true,
        ),
        actual(
            "actual, pattern origin",
            Some("https://eu.example.org"),
            true,
        ),
        actual(
            "actual, denied origin",
            Some("https://evil.example.com"),
            false,
        ),
        actual(
            "actual, suffix attack",
            Some("https://example.org.evil.com"),
            false,
        ),
        actual("not CORS", None, false),
        preflight(
            "preflight PUT + headers",
            "https://app.example.com",
            "PUT",
            &["content-type", "x-request-id"],
            true,
        ),
        preflight(
            "preflight DELETE, pattern",
            "https://a.b.example.org",
            "DELETE",
            &[],
            true,
        ),
        preflight(
            "preflight, denied origin",
            "https://app.example.com.evil.com",
            "PUT",
            &[],
            false,
        ),
        preflight(
            "preflight, denied method",
            "https://app.example.com",
            "PATCH",
            &[],
            false,
        ),
        preflight(
            "preflight, denied header",
            "https://app.example.com",
            "PUT",
            &["x-secret"],
            false,
        ),
    ]
}

fn list(values: &[&[u8]]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(|&b| b == b','))
        .map(|i| String::from_utf8_lossy(i).trim().to_ascii_lowercase())
        .filter(|i| !i.is_empty())
        .collect()
}

/// What a browser makes of `res` (credentials mode "include", Fetch's CORS check and
/// CORS-preflight checks).
fn browser_allows(case: &Case, res: &Response) -> bool {
    let Some(origin) = case.origin else {
        return false;
    };
    let cors_ok = res.all("access-control-allow-origin") == [origin.as_bytes()]
        && res.all("access-control-allow-credentials") == [b"true".as_slice()];
    if !case.preflight {
        return cors_ok && res.status == 200;
    }
    let (method, headers) = case.asks;
    let methods = list(&res.all("access-control-allow-methods"));
    let allowed_headers = list(&res.all("access-control-allow-headers"));
    cors_ok
        && (200..300).contains(&res.status)
        && (["GET", "HEAD", "POST"].contains(&method)
            || methods.contains(&method.to_ascii_lowercase()))
        && headers
            .iter()
            .all(|h| allowed_headers.contains(&h.to_string()))
}

/// The browser's verdict, and for ours the exact contract (policy-spec §4).
fn check(case: &Case, res: &Response, ours: bool) -> Result<(), String> {
    if browser_allows(case, res) != case.allowed {
        return Err(format!(
            "{}: a browser would decide otherwise: {res:?}",
            case.name
        ));
    }
    // A denied origin never gets Access-Control-Allow-Origin from either layer (a
    // denied method or header may, from tower-http: the browser's own check refuses).
    let origin_denied = case.origin.is_some_and(|o| o.contains("evil"));
    if origin_denied && !res.all("access-control-allow-origin").is_empty() {
        return Err(format!(
            "{}: a denied origin got Access-Control-Allow-Origin",
            case.name
        ));
    }
    if !case.preflight && res.body != b"{\"ok\":true}" {
        return Err(format!("{}: the app's body is missing: {res:?}", case.name));
    }
    if !ours {
        return Ok(());
    }
    let want_status = match (case.preflight, case.allowed) {
        (true, true) => 204,
        (true, false) => 403,
        (false, _) => 200,
    };
    let vary = res.vary();
    let vary_ok = vary.contains(&"origin".to_owned())
        && (case.preflight || vary.contains(&"accept-encoding".to_owned()));
    if res.status != want_status || !vary_ok || (!case.allowed && !res.cors_headers().is_empty()) {
        return Err(format!("{}: not the contract: {res:?}", case.name));
    }
    Ok(())
}

/// Throughput and latency of one run.
struct Figures {
    requests: usize,
    elapsed: Duration,
    /// Sorted, in microseconds.
    latencies: Vec<u32>,
}

impl Figures {
    fn percentile(&self, p: f64) -> u32 {
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i]
    }

    fn line(&self, name: &str) -> String {
        format!(
            "| {name} | {} | {:.0} | {} | {} | {} | {} |",
            self.requests,
            self.requests as f64 / self.elapsed.as_secs_f64(),
            self.percentile(0.50),
            self.percentile(0.90),
            self.percentile(0.99),
            self.latencies.last().copied().unwrap_or(0),
        )
    }
}

/// `total` requests over `connections` keep-alive connections, cycling through
/// `cases`; every answer checked.
fn drive(
    addr: SocketAddr,
    cases: &[Case],
    total: usize,
    connections: usize,
    ours: bool,
) -> Figures {
    let errors = Mutex::new(Vec::<String>::new());
    let latencies = Mutex::new(Vec::with_capacity(total));
    let start = Instant::now();
    std::thread::scope(|s| {
        for c in 0..connections {
            let (errors, latencies) = (&errors, &latencies);
            let n = total / connections + usize::from(c < total % connections);
            s.spawn(move || {
                let timeout = Duration::from_secs(10);
                let mut conn = Conn::connect(addr, timeout).expect("connect");
                let mut mine = Vec::with_capacity(n);
                for i in 0..n {
                    let case = &cases[(c + i) % cases.len()];
                    let t = Instant::now();
                    let outcome = conn.exchange(case.method, &case.bytes, timeout);
                    mine.push(t.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
                    let result = match outcome {
                        Outcome::Answered(res) => {
                            let r = check(case, &res, ours);
                            if res.closes() {
                                conn = Conn::connect(addr, timeout).expect("reconnect");
                            }
                            r
                        }
                        other => Err(format!("{}: {other:?}", case.name)),
                    };
                    if let Err(e) = result {
                        errors.lock().unwrap().push(e);
                        return;
                    }
                }
                latencies.lock().unwrap().extend(mine);
            });
        }
    });
    let elapsed = start.elapsed();
    let errors = errors.into_inner().unwrap();
    assert!(
        errors.is_empty(),
        "{} wrong answers, first: {}",
        errors.len(),
        errors[0]
    );
    let mut latencies = latencies.into_inner().unwrap();
    latencies.sort_unstable();
    assert_eq!(latencies.len(), total);
    Figures {
        requests: total,
        elapsed,
        latencies,
    }
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).map_or(default, |v| {
        v.parse().unwrap_or_else(|_| panic!("{name}={v:?}"))
    })
}

#[test]
fn tower_adapter_under_load_beside_tower_http() {
    let total = env("CORS_LOAD_REQUESTS", 4_000);
    let connections = env("CORS_LOAD_CONNECTIONS", 16);
    let policy = cors_policy::from_yaml(POLICY).unwrap();
    let layer = cors_policy::tower::CorsLayer::new(policy).unwrap();
    let ours = Server::start(tower_layer::Layer::layer(&layer, App));
    let peer = Server::start(tower_layer::Layer::layer(&tower_http_layer(), App));
    let cases = cases();

    // A short warm-up of each, then the measured runs, alternated so that neither
    // gets the machine's quieter moment alone.
    drive(ours.addr, &cases, cases.len() * 20, 4, true);
    drive(peer.addr, &cases, cases.len() * 20, 4, false);
    let half = total / 2;
    let mut figures: [Vec<Figures>; 2] = [vec![], vec![]];
    for _ in 0..2 {
        figures[0].push(drive(ours.addr, &cases, half, connections, true));
        figures[1].push(drive(peer.addr, &cases, half, connections, false));
    }
    let merge = |runs: Vec<Figures>| {
        let mut latencies: Vec<u32> = runs
            .iter()
            .flat_map(|f| f.latencies.iter().copied())
            .collect();
        latencies.sort_unstable();
        Figures {
            requests: runs.iter().map(|f| f.requests).sum(),
            elapsed: runs.iter().map(|f| f.elapsed).sum(),
            latencies,
        }
    };
    let [o, p] = figures;
    let (o, p) = (merge(o), merge(p));
    println!(
        "load: {total} requests per server over {connections} connections, {} kinds of request (allowed and denied, actual and preflight), every answer checked",
        cases.len()
    );
    println!("| server | requests | req/s | p50 µs | p90 µs | p99 µs | max µs |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    println!("{}", o.line("cors-policy tower adapter"));
    println!("{}", p.line("tower-http CorsLayer"));
}
