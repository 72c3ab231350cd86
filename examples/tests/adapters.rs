//! The tower (axum) and actix-web adapters behind real servers on loopback ports,
//! spoken to over TCP as a browser would: status and headers of allowed and denied
//! actual and preflight requests, against the answer of the engine that
//! `cors-policy check` prints (`Engine::decide` and `Decision::headers`, the same
//! function, on the same request: one source of truth), plus what the spec leaves to
//! the adapters: the application's own `Vary`, a plain `OPTIONS`, an error status,
//! an application that sets its own CORS headers, `HEAD`, and a streaming body.
//!
//! Three servers run the same application: axum with the `cors_policy!` policy, axum
//! with the same file loaded at start-up (owned: its regex DFA is copied into the
//! engine), and actix-web with the loaded policy.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{mpsc, OnceLock};
use std::time::Duration;

use cors_policy::cors_policy;
use cors_policy::engine::{Request, Values};
use cors_policy::Policy;

static MACRO_POLICY: Policy = cors_policy!(file = "tests/policy.yaml");

fn yaml_policy() -> Policy {
    cors_policy::from_yaml(include_str!("policy.yaml")).expect("the test policy is valid")
}

// ---------------------------------------------------------------------------------
// The application, once per framework.
// ---------------------------------------------------------------------------------

mod axum_app {
    use axum::body::{Body, Bytes};
    use axum::http::{header, HeaderName, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::routing::get;
    use axum::Router;

    async fn items() -> impl IntoResponse {
        (
            [
                (header::CONTENT_TYPE, "application/json"),
                (HeaderName::from_static("x-request-id"), "7"),
            ],
            r#"["apple"]"#,
        )
    }

    async fn options() -> impl IntoResponse {
        (
            [(HeaderName::from_static("x-app"), "options")],
            "app options",
        )
    }

    async fn vary() -> Response {
        let mut res = "varied".into_response();
        res.headers_mut()
            .append(header::VARY, "Accept-Encoding".parse().unwrap());
        res.headers_mut()
            .append(header::VARY, "Accept-Language".parse().unwrap());
        res
    }

    async fn vary_origin() -> impl IntoResponse {
        ([(header::VARY, "origin")], "varied")
    }

    async fn error() -> impl IntoResponse {
        (StatusCode::INTERNAL_SERVER_ERROR, "boom")
    }

    async fn own_cors() -> impl IntoResponse {
        (
            [
                (header::ACCESS_CONTROL_ALLOW_ORIGIN, "https://evil.example"),
                (header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"),
            ],
            "own",
        )
    }

    async fn stream() -> Body {
        let chunks = ["chunk-one;", "chunk-two"].map(|c| Ok::<_, std::io::Error>(Bytes::from(c)));
        Body::from_stream(futures_util::stream::iter(chunks))
    }

    pub fn router() -> Router {
        Router::new()
            .route("/items", get(items).options(options))
            .route("/vary", get(vary))
            .route("/vary-origin", get(vary_origin))
            .route("/error", get(error))
            .route("/own-cors", get(own_cors))
            .route("/stream", get(stream))
    }
}

mod actix_app {
    use actix_web::http::header;
    use actix_web::web::{self, Bytes};
    use actix_web::HttpResponse;

    async fn items() -> HttpResponse {
        HttpResponse::Ok()
            .content_type("application/json")
            .insert_header(("x-request-id", "7"))
            .body(r#"["apple"]"#)
    }

    async fn options() -> HttpResponse {
        HttpResponse::Ok()
            .insert_header(("x-app", "options"))
            .body("app options")
    }

    async fn vary() -> HttpResponse {
        HttpResponse::Ok()
            .append_header((header::VARY, "Accept-Encoding"))
            .append_header((header::VARY, "Accept-Language"))
            .body("varied")
    }

    async fn vary_origin() -> HttpResponse {
        HttpResponse::Ok()
            .insert_header((header::VARY, "origin"))
            .body("varied")
    }

    async fn error() -> HttpResponse {
        HttpResponse::InternalServerError().body("boom")
    }

    async fn own_cors() -> HttpResponse {
        HttpResponse::Ok()
            .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "https://evil.example"))
            .insert_header((header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"))
            .body("own")
    }

    async fn stream() -> HttpResponse {
        let chunks = ["chunk-one;", "chunk-two"].map(|c| Ok::<_, actix_web::Error>(Bytes::from(c)));
        HttpResponse::Ok().streaming(futures_util::stream::iter(chunks))
    }

    pub fn routes(cfg: &mut web::ServiceConfig) {
        cfg.route("/items", web::get().to(items))
            .route("/items", web::head().to(items))
            .route(
                "/items",
                web::method(actix_web::http::Method::OPTIONS).to(options),
            )
            .route("/vary", web::get().to(vary))
            .route("/vary-origin", web::get().to(vary_origin))
            .route("/error", web::get().to(error))
            .route("/own-cors", web::get().to(own_cors))
            .route("/stream", web::get().to(stream));
    }
}

// ---------------------------------------------------------------------------------
// The servers: started once, on ephemeral loopback ports, for the whole test binary.
// ---------------------------------------------------------------------------------

fn start_axum(layer: cors_policy::tower::CorsLayer) -> SocketAddr {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            axum::serve(listener, axum_app::router().layer(layer))
                .await
                .expect("serve");
        });
    });
    rx.recv().expect("the server started")
}

fn start_actix(cors: cors_policy::actix::Cors) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            actix_web::HttpServer::new(move || {
                actix_web::App::new()
                    .wrap(cors.clone())
                    .configure(actix_app::routes)
            })
            .workers(1)
            .listen(listener)
            .expect("listen")
            .run()
            .await
            .expect("serve");
        });
    });
    addr
}

/// The servers under test, by name.
fn servers() -> &'static [(&'static str, SocketAddr)] {
    static SERVERS: OnceLock<Vec<(&'static str, SocketAddr)>> = OnceLock::new();
    SERVERS.get_or_init(|| {
        use cors_policy::tower::CorsLayer;
        vec![
            (
                "axum/macro",
                start_axum(CorsLayer::new(&MACRO_POLICY).expect("layer")),
            ),
            (
                "axum/yaml",
                start_axum(CorsLayer::new(yaml_policy()).expect("layer")),
            ),
            (
                "actix/yaml",
                start_actix(cors_policy::actix::Cors::new(yaml_policy()).expect("middleware")),
            ),
        ]
    })
}

// ---------------------------------------------------------------------------------
// A minimal HTTP/1.1 client: what the server put on the wire, nothing interpreted.
// ---------------------------------------------------------------------------------

#[derive(Debug)]
struct Reply {
    status: u16,
    /// Lower-case names, values as sent, in order.
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn one(&self, name: &str) -> Option<&str> {
        let all = self.all(name);
        assert!(all.len() <= 1, "several {name} lines: {all:?}");
        all.first().copied()
    }

    /// The `Access-Control-*` headers, sorted (actix-web's map does not keep order).
    fn cors(&self) -> Vec<(String, String)> {
        let mut cors: Vec<_> = self
            .headers
            .iter()
            .filter(|(n, _)| n.starts_with("access-control-"))
            .cloned()
            .collect();
        cors.sort();
        cors
    }

    /// Every `Vary` item over every line, lower-cased, in order.
    fn vary(&self) -> Vec<String> {
        self.all("vary")
            .iter()
            .flat_map(|line| line.split(','))
            .map(|item| item.trim().to_ascii_lowercase())
            .filter(|item| !item.is_empty())
            .collect()
    }
}

fn send(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers = lines
        .map(|line| {
            let (n, v) = line.split_once(':').expect("header line");
            (n.trim().to_ascii_lowercase(), v.trim().to_owned())
        })
        .collect();
    Reply {
        status,
        headers,
        body: body.to_owned(),
    }
}

// ---------------------------------------------------------------------------------
// The expected answer: what `cors-policy check` prints for the same request.
// ---------------------------------------------------------------------------------

/// The headers `check` lists (`Decision::headers`), split into the sorted
/// `Access-Control-*` ones and the `Vary` items, and the preflight status.
fn expected(
    method: &str,
    origin: Option<&str>,
    acrm: Option<&str>,
    acrh: Option<&str>,
) -> (Vec<(String, String)>, Vec<String>, Option<u16>) {
    let engine = MACRO_POLICY.engine().expect("tables load");
    let mut request = Request::new(method.as_bytes());
    if let Some(o) = origin {
        request = request.origin(o.as_bytes());
    }
    if let Some(m) = acrm {
        request = request.request_method(m.as_bytes());
    }
    if let Some(h) = acrh {
        request = request.request_headers(Values::One(h.as_bytes()));
    }
    let decision = engine.decide(&request);
    let mut cors = Vec::new();
    let mut vary = Vec::new();
    for h in decision.headers() {
        if h.name == "vary" {
            vary.extend(
                h.value_str()
                    .split(',')
                    .map(|item| item.trim().to_ascii_lowercase()),
            );
        } else {
            cors.push((h.name.to_owned(), h.value_str().to_owned()));
        }
    }
    cors.sort();
    (cors, vary, decision.status())
}

/// Sends the request to every server and checks status and headers against the
/// engine's answer; returns the replies for further checks.
fn exchange(
    method: &str,
    path: &str,
    origin: Option<&str>,
    acrm: Option<&str>,
    acrh: Option<&str>,
) -> Vec<(&'static str, Reply)> {
    let (cors, vary, status) = expected(method, origin, acrm, acrh);
    let mut headers = Vec::new();
    headers.extend(origin.map(|o| ("Origin", o)));
    headers.extend(acrm.map(|m| ("Access-Control-Request-Method", m)));
    headers.extend(acrh.map(|h| ("Access-Control-Request-Headers", h)));
    servers()
        .iter()
        .map(|&(name, addr)| {
            let reply = send(addr, method, path, &headers);
            if let Some(status) = status {
                assert_eq!(reply.status, status, "{name} {method} {path}: {reply:?}");
            }
            assert_eq!(reply.cors(), cors, "{name} {method} {path} {origin:?}");
            assert_eq!(reply.vary(), vary, "{name} {method} {path}: {reply:?}");
            (name, reply)
        })
        .collect()
}

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example";

// ---------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------

#[test]
fn allowed_actual_requests_get_the_policy_headers_and_the_app_response() {
    for origin in [
        APP,
        "https://a.b.preview.example.com",
        "https://eu-12.example.com",
    ] {
        for (name, reply) in exchange("GET", "/items", Some(origin), None, None) {
            assert_eq!(reply.status, 200, "{name}");
            assert_eq!(
                reply.one("access-control-allow-origin"),
                Some(origin),
                "{name}"
            );
            assert_eq!(reply.one("access-control-allow-credentials"), Some("true"));
            assert_eq!(
                reply.one("access-control-expose-headers"),
                Some("x-request-id")
            );
            assert_eq!(reply.one("x-request-id"), Some("7"), "{name}");
            assert_eq!(reply.one("content-type"), Some("application/json"));
            assert_eq!(reply.body, r#"["apple"]"#, "{name}");
        }
    }
}

#[test]
fn denied_and_non_cors_actual_requests_get_no_cors_headers() {
    for origin in [
        Some(EVIL),
        Some("null"),
        Some("https://preview.example.com"),
        None,
    ] {
        for (name, reply) in exchange("GET", "/items", origin, None, None) {
            assert_eq!(reply.status, 200, "{name}");
            assert!(reply.cors().is_empty(), "{name}: {reply:?}");
            assert_eq!(reply.vary(), ["origin"], "{name}");
            assert_eq!(reply.body, r#"["apple"]"#, "{name}");
        }
    }
}

#[test]
fn allowed_preflight_is_answered_without_the_app() {
    let replies = exchange(
        "OPTIONS",
        "/items",
        Some(APP),
        Some("PUT"),
        Some("content-type,x-trace"),
    );
    for (name, reply) in replies {
        assert_eq!(reply.status, 204, "{name}");
        assert_eq!(reply.one("access-control-allow-methods"), Some("PUT"));
        // The policy's precomputed list, not an echo.
        assert_eq!(
            reply.one("access-control-allow-headers"),
            Some("content-type, x-trace")
        );
        assert_eq!(reply.one("access-control-max-age"), Some("600"));
        assert_eq!(reply.one("x-app"), None, "{name}: the app was called");
        assert_eq!(reply.body, "", "{name}");
        assert_eq!(
            reply.vary(),
            [
                "origin",
                "access-control-request-method",
                "access-control-request-headers"
            ],
            "{name}"
        );
    }
}

#[test]
fn denied_preflights_get_403_and_no_cors_headers() {
    for (origin, method, headers) in [
        (EVIL, "PUT", None),
        (APP, "PATCH", None),
        (APP, "PUT", Some("content-type,x-evil")),
        (APP, "put", None),
    ] {
        for (name, reply) in exchange("OPTIONS", "/items", Some(origin), Some(method), headers) {
            assert_eq!(reply.status, 403, "{name} {origin} {method}");
            assert!(reply.cors().is_empty(), "{name}: {reply:?}");
            assert_eq!(reply.one("x-app"), None, "{name}: the app was called");
        }
    }
}

#[test]
fn plain_options_reaches_the_app() {
    for (name, reply) in exchange("OPTIONS", "/items", Some(APP), None, None) {
        assert_eq!(reply.status, 200, "{name}");
        assert_eq!(reply.one("x-app"), Some("options"), "{name}");
        assert_eq!(reply.body, "app options", "{name}");
        assert_eq!(reply.one("access-control-allow-origin"), Some(APP));
    }
    for (name, reply) in exchange("OPTIONS", "/items", None, None, None) {
        assert_eq!(reply.one("x-app"), Some("options"), "{name}");
    }
}

#[test]
fn the_apps_vary_is_kept_over_every_line() {
    for &(name, addr) in servers() {
        let reply = send(addr, "GET", "/vary", &[("Origin", APP)]);
        assert_eq!(
            reply.vary(),
            ["accept-encoding", "accept-language", "origin"],
            "{name}: {reply:?}"
        );
        assert_eq!(reply.one("access-control-allow-origin"), Some(APP));
        let reply = send(addr, "GET", "/vary", &[("Origin", EVIL)]);
        assert_eq!(
            reply.vary(),
            ["accept-encoding", "accept-language", "origin"]
        );
        // Already there (any case): left as it is.
        let reply = send(addr, "GET", "/vary-origin", &[("Origin", APP)]);
        assert_eq!(reply.all("vary"), ["origin"], "{name}");
    }
}

#[test]
fn an_app_error_keeps_its_cors_headers() {
    for (name, reply) in exchange("GET", "/error", Some(APP), None, None) {
        assert_eq!(reply.status, 500, "{name}");
        assert_eq!(reply.body, "boom", "{name}");
        assert_eq!(reply.one("access-control-allow-origin"), Some(APP));
    }
    for (name, reply) in exchange("GET", "/error", Some(EVIL), None, None) {
        assert_eq!(reply.status, 500, "{name}");
        assert!(reply.cors().is_empty(), "{name}");
    }
}

#[test]
fn the_policy_overrides_the_apps_own_cors_headers() {
    // Allowed: the app's `https://evil.example` is replaced by the request's origin.
    for (name, reply) in exchange("GET", "/own-cors", Some(APP), None, None) {
        assert_eq!(
            reply.one("access-control-allow-origin"),
            Some(APP),
            "{name}"
        );
        assert_eq!(reply.body, "own");
    }
    // Denied: the app's made-up allow-origin and credentials are removed.
    for (name, reply) in exchange("GET", "/own-cors", Some(EVIL), None, None) {
        assert!(reply.cors().is_empty(), "{name}: {reply:?}");
    }
    // Not a CORS request: the app's headers are its own business.
    for &(name, addr) in servers() {
        let reply = send(addr, "GET", "/own-cors", &[]);
        assert_eq!(
            reply.one("access-control-allow-origin"),
            Some("https://evil.example"),
            "{name}"
        );
    }
}

#[test]
fn head_gets_the_headers_and_no_body() {
    for (name, reply) in exchange("HEAD", "/items", Some(APP), None, None) {
        assert_eq!(reply.status, 200, "{name}");
        assert_eq!(reply.one("access-control-allow-origin"), Some(APP));
        assert_eq!(reply.body, "", "{name}");
    }
}

#[test]
fn streaming_bodies_pass_through() {
    for (name, reply) in exchange("GET", "/stream", Some(APP), None, None) {
        assert_eq!(reply.status, 200, "{name}");
        assert_eq!(reply.one("access-control-allow-origin"), Some(APP));
        assert_eq!(
            reply.one("transfer-encoding"),
            Some("chunked"),
            "{name}: still streamed"
        );
        assert!(
            reply.body.contains("chunk-one;") && reply.body.contains("chunk-two"),
            "{name}: {:?}",
            reply.body
        );
    }
}

#[test]
fn adapters_are_send_sync_and_clone() {
    fn check<T: Send + Sync + Clone + 'static>() {}
    check::<cors_policy::tower::CorsLayer>();
    check::<cors_policy::tower::CorsService<()>>();
    check::<cors_policy::actix::Cors>();
    check::<cors_policy::http::Cors>();
    fn send_static<T: Send + 'static>() {}
    send_static::<cors_policy::http::ResponsePlan>();
}

#[test]
fn every_policy_source_builds_the_same_adapter() {
    use cors_policy::http::{Action, Cors};
    use std::sync::Arc;
    // A `static`, an owned policy (its regex DFA copied into the engine), and a shared
    // `Arc` of a macro policy (its DFA still borrowed from the binary).
    let sources: [cors_policy::engine::PolicySource; 3] = [
        (&MACRO_POLICY).into(),
        yaml_policy().into(),
        Arc::new(MACRO_POLICY.clone()).into(),
    ];
    for source in sources {
        let cors = Cors::new(source).expect("loads");
        for (origin, allowed) in [
            ("https://us-3.example.com", true),
            ("https://us-x.example.com", false),
        ] {
            let mut headers = http::HeaderMap::new();
            headers.insert("origin", origin.parse().unwrap());
            let Action::Forward(plan) = cors.check(&http::Method::GET, &headers) else {
                panic!("an actual request goes to the app")
            };
            let mut out = http::HeaderMap::new();
            plan.apply(&mut out);
            assert_eq!(
                out.get("access-control-allow-origin").is_some(),
                allowed,
                "{origin}"
            );
        }
    }
}

#[test]
fn construction_fails_on_bad_tables_not_on_requests() {
    let mut bad = yaml_policy();
    bad.expose_headers = Some("x-a\nx-b".to_owned().into());
    let err = cors_policy::tower::CorsLayer::new(bad.clone()).unwrap_err();
    assert!(err.to_string().contains("ExposeHeaders"), "{err}");
    assert!(cors_policy::actix::Cors::new(bad).is_err());
}
