//! Any server on the `http` crate, without tower: a bare hyper `service_fn` calling the
//! framework-agnostic helper (`cors_policy::http`), which is all an adapter for poem,
//! salvo or another framework needs.
//!
//! `cargo run -p cors-policy-examples --example service_fn -- --listen 127.0.0.1:3003`

use std::convert::Infallible;

use http::{Request, Response};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;

use cors_policy::cors_policy;
use cors_policy::http::{Action, Cors};
use cors_policy::Policy;

static API: Policy = cors_policy! {
    origins: ["https://app.example.com", "http://localhost:*", "http://127.0.0.1:*"],
    methods: [PUT],
    allow_headers: ["content-type"],
};

/// The whole adapter: decide, answer a preflight, or call the app and apply the plan.
async fn handle(cors: Cors, req: Request<Incoming>) -> Result<Response<String>, Infallible> {
    match cors.check(req.method(), req.headers()) {
        Action::Preflight(preflight) => {
            let mut res = Response::new(String::new());
            *res.status_mut() = preflight.status;
            *res.headers_mut() = preflight.headers;
            Ok(res)
        }
        Action::Forward(plan) => {
            let mut res = app(req).await;
            plan.apply(res.headers_mut());
            Ok(res)
        }
    }
}

/// The application.
async fn app(_req: Request<Incoming>) -> Response<String> {
    Response::new(r#"{"ok":true}"#.to_owned())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    cors_policy_examples::init_logging();
    let cors = Cors::new(&API)?;
    let listener =
        tokio::net::TcpListener::bind(cors_policy_examples::listen_addr("127.0.0.1:3003")?).await?;
    println!("listening on http://{}", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await?;
        let cors = cors.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(cors.clone(), req));
            if let Err(e) = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                eprintln!("connection error: {e}");
            }
        });
    }
}
