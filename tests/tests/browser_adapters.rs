//! The real-browser suite behind each framework adapter, with the policy built by
//! `cors_policy!` from the suite's own policy file: an axum app with the tower
//! `CorsLayer` and an actix-web app with the actix middleware, each answering every
//! path `200 {"ok":true}` with `X-Request-Id: 1`. (`cors-policy serve`, the tower
//! layer on bare hyper with a policy loaded from YAML, runs the same suite in
//! `cors-policy-cli/tests/serve.rs`.)

use cors_policy::{cors_policy, Policy};
use cors_policy_tests::browser;

static BROWSER: Policy = cors_policy!(file = "fixtures/browser.yaml");

#[test]
fn axum_with_the_tower_layer() {
    use axum::http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let app = axum::Router::new()
        .fallback(|| async {
            (
                [
                    (CONTENT_TYPE, HeaderValue::from_static("application/json")),
                    (
                        HeaderName::from_static("x-request-id"),
                        HeaderValue::from_static("1"),
                    ),
                ],
                r#"{"ok":true}"#,
            )
        })
        .layer(cors_policy::tower::CorsLayer::new(&BROWSER).expect("policy tables load"));
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    runtime.spawn(async move { axum::serve(listener, app).await });
    browser::assert_verdicts(
        &format!("http://localhost:{port}"),
        &browser::fixture_verdicts(),
    );
}

#[test]
fn actix_web_with_the_actix_middleware() {
    use actix_web::{web, App, HttpResponse, HttpServer};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let (handle_tx, handle_rx) = std::sync::mpsc::channel();
    let server = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = HttpServer::new(|| {
                App::new()
                    .wrap(cors_policy::actix::Cors::new(&BROWSER).expect("policy tables load"))
                    .default_service(web::to(|| async {
                        HttpResponse::Ok()
                            .content_type("application/json")
                            .insert_header(("X-Request-Id", "1"))
                            .body(r#"{"ok":true}"#)
                    }))
            })
            .workers(1)
            .listen(listener)
            .expect("listen")
            .run();
            handle_tx.send(server.handle()).expect("send the handle");
            server.await
        })
    });
    let handle = handle_rx.recv().expect("the server starts");
    browser::assert_verdicts(
        &format!("http://localhost:{port}"),
        &browser::fixture_verdicts(),
    );
    actix_web::rt::System::new().block_on(handle.stop(true));
    server.join().expect("server thread").expect("server ran");
}
