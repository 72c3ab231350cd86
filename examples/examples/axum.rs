//! An axum API with an inline `cors_policy!`: the policy is checked when this file
//! compiles, and the layer answers from its static tables.
//!
//! `cargo run -p cors-policy-examples --example axum -- --listen 127.0.0.1:3000`
//! (`CORS_DEBUG=1` logs why a request was denied), then e.g.
//! `curl -i -H 'Origin: http://localhost:5173' http://127.0.0.1:3000/api/items`.

use axum::http::{header, HeaderName, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use cors_policy::cors_policy;
use cors_policy::tower::CorsLayer;
use cors_policy::Policy;

/// Validated and compiled into static tables at compile time.
static API: Policy = cors_policy! {
    origins: ["https://app.example.com", "http://localhost:*", "http://127.0.0.1:*"],
    credentials: true,
    methods: [PUT, DELETE],
    allow_headers: ["content-type", "authorization"],
    expose_headers: ["x-request-id"],
    max_age: 600,
};

async fn list() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (HeaderName::from_static("x-request-id"), "1"),
        ],
        r#"["apple","pear"]"#,
    )
}

async fn update() -> StatusCode {
    StatusCode::NO_CONTENT
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    cors_policy_examples::init_logging();
    let app = Router::new()
        .route("/api/items", get(list).put(update).delete(update))
        .layer(CorsLayer::new(&API)?);
    let listener =
        tokio::net::TcpListener::bind(cors_policy_examples::listen_addr("127.0.0.1:3000")?).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
