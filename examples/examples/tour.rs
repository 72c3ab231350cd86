//! A tour of a compiled policy: what it answers to a few requests, and why.
//!
//! `cargo run -q -p cors-policy-examples --example tour`

use cors_policy::cors_policy;
use cors_policy::engine::{Request, Values};
use cors_policy::Policy;

/// The policy, validated and compiled into static tables when this file compiles.
static API: Policy = cors_policy! {
    origins: [
        "https://app.example.com",
        "https://*.preview.example.com",
        "http://localhost:*",
        regex("^https://(eu|us)-[0-9]+\\.example\\.com$"),
    ],
    credentials: true,
    methods: [PUT, DELETE],
    allow_headers: ["content-type", "x-csrf-token"],
    expose_headers: ["x-request-id"],
    max_age: 600,
};

fn show(engine: &cors_policy::engine::Engine<'_>, title: &str, request: &Request<'_>) {
    let decision = engine.decide(request);
    let verdict = match (decision.kind(), decision.is_allowed()) {
        (cors_policy::engine::Kind::NotCors, _) => "passed to the application",
        (_, true) => "allowed",
        (_, false) => "denied",
    };
    let status = decision
        .status()
        .map_or(String::new(), |s| format!(" ({s})"));
    println!(
        "{title}\n  {verdict}: {}{status}: {}",
        decision.kind().as_str(),
        decision.reason()
    );
    for h in decision.headers() {
        println!("  {}: {}", h.name, h.value_str());
    }
    println!();
}

fn main() -> Result<(), cors_policy::engine::TableError> {
    let engine = API.engine()?;
    show(
        &engine,
        "GET from the app",
        &Request::new(b"GET").origin(b"https://app.example.com"),
    );
    show(
        &engine,
        "GET from a look-alike (the GHSA-vhxv-fg4m-p2w8 and suffix-match classes)",
        &Request::new(b"GET").origin(b"https://evilapp.example.com"),
    );
    show(
        &engine,
        "preflight from a deploy preview, PUT with two headers",
        &Request::new(b"OPTIONS")
            .origin(b"https://pr-42.preview.example.com")
            .request_method(b"PUT")
            .request_headers(Values::One(b"content-type,x-csrf-token")),
    );
    show(
        &engine,
        "preflight asking for a header the policy does not allow",
        &Request::new(b"OPTIONS")
            .origin(b"https://eu-3.example.com")
            .request_method(b"DELETE")
            .request_headers(Values::One(b"x-debug")),
    );
    show(
        &engine,
        "a sandboxed iframe (Origin: null)",
        &Request::new(b"POST").origin(b"null"),
    );
    show(
        &engine,
        "no Origin: not a CORS request",
        &Request::new(b"GET"),
    );
    Ok(())
}
