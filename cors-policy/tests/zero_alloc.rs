//! `Engine::decide` never touches the heap: a counting global allocator sees zero
//! allocations (and zero reallocations) across allowed and denied, actual and preflight
//! decisions, including iterating every response header and formatting nothing, for a
//! policy with 1,000 exact origins, `*.`/`:*` patterns and regexes.
//!
//! This file holds a single test so that no other test thread allocates while the
//! counter is read.

mod common;

use std::alloc::System;

use cors_policy::engine::{Kind, Request, Values};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

// stats_alloc wraps the system allocator and counts every call (the workspace forbids
// `unsafe`, which a hand-written `GlobalAlloc` would need).
#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Runs `f` and returns how many allocations and reallocations it made.
fn allocations(f: impl FnOnce()) -> usize {
    let region = Region::new(GLOBAL);
    f();
    let stats = region.change();
    stats.allocations + stats.reallocations
}

#[test]
fn decide_never_allocates() {
    let mut yaml = String::from("origins:\n");
    for i in 0..1000 {
        yaml.push_str(&format!("  - https://app{i}.example.com\n"));
    }
    yaml.push_str(
        "  - https://*.example.org\n  - \"http://localhost:*\"\n  - regex: '^https://(eu|us)-[0-9]+\\.example\\.net$'\n  - regex: '^https://pr-[0-9]+\\.preview\\.example\\.dev$'\n",
    );
    yaml.push_str("credentials: true\nmethods: [PUT, DELETE]\nallow_headers: [x-trace, content-type]\nexpose_headers: [x-request-id]\nmax_age: 600\n");
    let listed = common::policy(&yaml);
    let star = common::policy(
        "origins: [https://app.example.com, {regex: '^https://x[0-9]\\.example\\.com$'}]\ncredentials: true\nmethods: \"*\"\nallow_headers: \"*\"\nallow_private_network: true\n",
    );
    let public = common::policy("origins: \"*\"\nallow_headers: \"*\"\nexpose_headers: \"*\"\n");

    let huge_origin = vec![b'a'; 100 * 1024];
    let junk_acrh = vec![b'x'; 1024 * 1024];
    let many_items = b"x-trace,".repeat(3000);
    let two_origins: [&[u8]; 2] = [b"https://app1.example.com", b"https://app2.example.com"];
    let acrh_lines: [&[u8]; 3] = [b"x-trace", b"Content-Type, x-trace", b",,"];
    let echo_lines: [&[u8]; 2] = [b"x-a,x-b", b"x-c,,x-d"];

    let requests: Vec<(usize, Request<'_>, Kind, bool)> = vec![
        // (policy index, request, expected kind, expected allowed)
        (
            0,
            Request::new(b"GET").origin(b"https://app999.example.com"),
            Kind::Actual,
            true,
        ),
        (
            0,
            Request::new(b"GET").origin(b"https://app0.example.com"),
            Kind::Actual,
            true,
        ),
        (
            0,
            Request::new(b"POST").origin(b"https://a.b.example.org"),
            Kind::Actual,
            true,
        ),
        (
            0,
            Request::new(b"GET").origin(b"http://localhost:5173"),
            Kind::Actual,
            true,
        ),
        (
            0,
            Request::new(b"GET").origin(b"https://eu-17.example.net"),
            Kind::Actual,
            true,
        ),
        (
            0,
            Request::new(b"GET").origin(b"https://pr-4.preview.example.dev"),
            Kind::Actual,
            true,
        ),
        (
            0,
            Request::new(b"GET").origin(b"https://app1000.example.com"),
            Kind::Actual,
            false,
        ),
        (
            0,
            Request::new(b"GET").origin(b"https://evil.com"),
            Kind::Actual,
            false,
        ),
        (0, Request::new(b"GET").origin(b"null"), Kind::Actual, false),
        (
            0,
            Request::new(b"GET").origin(&huge_origin),
            Kind::Actual,
            false,
        ),
        (
            0,
            Request::new(b"GET").origin(b"https://app1.example.com\xff"),
            Kind::Actual,
            false,
        ),
        (
            0,
            Request::new(b"GET").origins(Values::Many(&two_origins)),
            Kind::Actual,
            false,
        ),
        (0, Request::new(b"GET"), Kind::NotCors, false),
        (
            0,
            Request::new(b"OPTIONS")
                .origin(b"https://app500.example.com")
                .request_method(b"PUT")
                .request_headers(Values::Many(&acrh_lines)),
            Kind::Preflight,
            true,
        ),
        (
            0,
            Request::new(b"OPTIONS")
                .origin(b"https://x.example.org")
                .request_method(b"DELETE")
                .private_network(),
            Kind::Preflight,
            true,
        ),
        (
            0,
            Request::new(b"OPTIONS")
                .origin(b"https://eu-1.example.net")
                .request_method(b"PATCH"),
            Kind::Preflight,
            false,
        ),
        (
            0,
            Request::new(b"OPTIONS")
                .origin(b"https://app1.example.com")
                .request_method(b"PUT")
                .request_headers(Values::One(&junk_acrh)),
            Kind::Preflight,
            false,
        ),
        (
            0,
            Request::new(b"OPTIONS")
                .origin(b"https://app1.example.com")
                .request_method(b"PUT")
                .request_headers(Values::One(&many_items[..4000])),
            Kind::Preflight,
            false,
        ),
        (
            0,
            Request::new(b"OPTIONS")
                .origin(b"https://app1.example.com")
                .request_method(b"PUT")
                .request_headers(Values::One(b"x-other")),
            Kind::Preflight,
            false,
        ),
        (
            1,
            Request::new(b"OPTIONS")
                .origin(b"https://x7.example.com")
                .request_method(b"CUSTOM")
                .request_headers(Values::Many(&echo_lines))
                .private_network(),
            Kind::Preflight,
            true,
        ),
        (
            1,
            Request::new(b"OPTIONS")
                .origin(b"https://app.example.com")
                .request_method(b"PUT")
                .request_headers(Values::One(b"authorization")),
            Kind::Preflight,
            false,
        ),
        (
            2,
            Request::new(b"GET").origin(b"https://anything.example"),
            Kind::Actual,
            true,
        ),
        (
            2,
            Request::new(b"OPTIONS")
                .origin(b"https://anything.example")
                .request_method(b"GET")
                .request_headers(Values::One(b"x-a")),
            Kind::Preflight,
            true,
        ),
    ];
    let policies = [&listed, &star, &public];
    let engines: Vec<_> = policies.iter().map(|p| p.engine().unwrap()).collect();

    // Warm up (lazy statics of the test harness or std, if any), then count.
    for (p, request, ..) in &requests {
        let _ = engines[*p].decide(request).headers().count();
    }
    for (i, (p, request, kind, allowed)) in requests.iter().enumerate() {
        let mut seen = (Kind::NotCors, false, 0usize, 0usize);
        let n = allocations(|| {
            for _ in 0..100 {
                let d = engines[*p].decide(request);
                let mut bytes = 0;
                for h in d.headers() {
                    bytes += h.name.len() + h.value.len();
                }
                seen = (d.kind(), d.is_allowed(), bytes, d.vary().len());
                let _ = d.reason().is_denial();
                let _ = d.status();
            }
        });
        assert_eq!(n, 0, "request {i}: {n} allocations in 100 decisions");
        assert_eq!((seen.0, seen.1), (*kind, *allowed), "request {i}");
        if *allowed {
            assert!(seen.2 > 0, "request {i}: an allowed request has headers");
        }
    }

    // The counter does count: building an engine with regexes allocates.
    let n = allocations(|| drop(listed.engine().unwrap()));
    assert!(n > 0, "the counting allocator counts");
}
