//! A bare hyper server (hyper-util) whose policy is a YAML file loaded at start-up:
//! the tower layer owns the loaded policy, and a bad file stops the server before it
//! listens, with the file's diagnostics.
//!
//! `cargo run -p cors-policy-examples --example hyper -- examples/policies/spa-api.yaml --listen 127.0.0.1:3002`
//! (`CORS_DEBUG=1` logs why a request was denied).

use std::convert::Infallible;

use http::{Request, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tower::ServiceBuilder;

use cors_policy::tower::CorsLayer;

/// The application: any request gets a small JSON body.
async fn app(_req: Request<Incoming>) -> Result<Response<String>, Infallible> {
    let mut res = Response::new(r#"{"ok":true}"#.to_owned());
    res.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    Ok(res)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    cors_policy_examples::init_logging();
    let path = std::env::args()
        .skip(1)
        .find(|a| a.ends_with(".yaml") || a.ends_with(".yml"))
        .unwrap_or_else(|| "examples/policies/spa-api.yaml".to_owned());
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    // Validated, compiled and checked once, here; the layer owns the policy.
    let policy = cors_policy::from_yaml(&text).map_err(|e| format!("{path}: {e}"))?;
    let layer = CorsLayer::new(policy)?;

    let listener =
        tokio::net::TcpListener::bind(cors_policy_examples::listen_addr("127.0.0.1:3002")?).await?;
    println!("listening on http://{}", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await?;
        let service = ServiceBuilder::new()
            .layer(layer.clone()) // a reference count per connection
            .service_fn(app);
        tokio::spawn(async move {
            let service = TowerToHyperService::new(service);
            if let Err(e) = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                eprintln!("connection error: {e}");
            }
        });
    }
}
