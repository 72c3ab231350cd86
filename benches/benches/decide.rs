//! How long one `Engine::decide` takes: actual and preflight, allowed and denied, with
//! 1,000 exact origins, `*.` patterns and hostile input.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::hint::black_box;

use cors_policy::engine::{Request, Values};
use cors_policy::Policy;
use criterion::{criterion_group, criterion_main, Criterion};

fn policy() -> Policy {
    let mut yaml = String::from("origins:\n");
    for i in 0..1000 {
        yaml.push_str(&format!("  - https://app{i}.example.com\n"));
    }
    yaml.push_str("  - https://*.example.org\n  - \"http://localhost:*\"\n");
    yaml.push_str("credentials: true\nmethods: [PUT, DELETE]\nallow_headers: [x-trace, content-type]\nexpose_headers: [x-request-id]\nmax_age: 600\n");
    cors_policy::from_yaml(&yaml).expect("bench policy is valid")
}

fn bench(c: &mut Criterion) {
    let policy = policy();
    let engine = policy.engine().expect("tables load");
    let junk = vec![b'x'; 1024 * 1024];
    let cases: Vec<(&str, Request<'_>)> = vec![
        (
            "actual/exact/allowed",
            Request::new(b"GET").origin(b"https://app500.example.com"),
        ),
        (
            "actual/exact/denied",
            Request::new(b"GET").origin(b"https://evil.example.com"),
        ),
        (
            "actual/pattern/allowed",
            Request::new(b"GET").origin(b"https://a.b.c.example.org"),
        ),
        ("actual/not-cors", Request::new(b"GET")),
        (
            "preflight/allowed",
            Request::new(b"OPTIONS")
                .origin(b"https://app1.example.com")
                .request_method(b"PUT")
                .request_headers(Values::One(b"content-type,x-trace")),
        ),
        (
            "preflight/header-denied",
            Request::new(b"OPTIONS")
                .origin(b"https://app1.example.com")
                .request_method(b"PUT")
                .request_headers(Values::One(b"content-type,x-other")),
        ),
        (
            "preflight/1MiB-acrh",
            Request::new(b"OPTIONS")
                .origin(b"https://app1.example.com")
                .request_method(b"PUT")
                .request_headers(Values::One(&junk)),
        ),
    ];
    for (name, request) in &cases {
        c.bench_function(name, |b| {
            b.iter(|| {
                let d = engine.decide(black_box(request));
                black_box(d.headers().count())
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default();
    targets = bench
}
criterion_main!(benches);
