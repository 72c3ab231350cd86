//! An actix-web API whose policy is a file, compiled by `cors_policy!(file = ...)`:
//! an error in `policies/spa-api.yaml` is a compile error pointing at its line.
//!
//! `cargo run -p cors-policy-examples --example actix -- --listen 127.0.0.1:3001`
//! (`CORS_DEBUG=1` logs why a request was denied), then e.g.
//! `curl -i -X OPTIONS -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: PUT' http://127.0.0.1:3001/api/items`.

use actix_web::{web, App, HttpResponse, HttpServer};
use cors_policy::actix::Cors;
use cors_policy::cors_policy;
use cors_policy::Policy;

/// `examples/policies/spa-api.yaml`, validated and compiled at compile time.
static API: Policy = cors_policy!(file = "policies/spa-api.yaml");

async fn list() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "1"))
        .content_type("application/json")
        .body(r#"["apple","pear"]"#)
}

async fn update() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    cors_policy_examples::init_logging();
    let cors = Cors::new(&API)?; // checked once here; cloned per worker (a reference count)
    let listener =
        std::net::TcpListener::bind(cors_policy_examples::listen_addr("127.0.0.1:3001")?)?;
    println!("listening on http://{}", listener.local_addr()?);
    HttpServer::new(move || {
        App::new()
            .wrap(cors.clone())
            .route("/api/items", web::get().to(list))
            .route("/api/items", web::put().to(update))
    })
    .listen(listener)?
    .run()
    .await?;
    Ok(())
}
