//! cors-policy's shipped adapters side by side with their peers, on the same requests
//! and the same policies, in one criterion run: our tower `CorsLayer` and
//! tower-http's `CorsLayer`, our actix-web middleware and actix-cors, each beside the
//! bare application it wraps (subtract it to get what the layer adds), plus
//! `Engine::decide` alone. See docs/benchmarks.md for the results.
//!
//! ```sh
//! cargo bench -p cors-policy-benches --bench peers
//! ```

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

mod common;

use std::hint::black_box;
use std::time::Duration;

use common::{
    actix_call, actix_cors, engine, ours_actix, ours_tower, tower_call, tower_http, ActixApp, App,
    AppKind, CASES,
};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

fn bench(c: &mut Criterion) {
    // A fast wrong answer is no result: every implementation must answer every case
    // as expected before anything is timed.
    common::check();

    for case in &CASES {
        let mut g = c.benchmark_group(case.name);
        let policy = case.policy.macro_policy();

        // Engine::decide alone, on an already extracted request (the application
        // plays no part in it: measured once, on the empty-application cases).
        if case.app == AppKind::Empty {
            let engine = engine(policy);
            let request = case.cors_request();
            g.bench_function("ours-decide", |b| {
                b.iter(|| black_box(engine.decide(black_box(&request))))
            });
        }

        // tower: http::Request<()> in, http::Response<()> out. Requests are built
        // outside the timed section (iter_batched); dropping them (in the
        // application) and building the response are timed.
        let mut bare = App(case.app);
        g.bench_function("bare-tower", |b| {
            b.iter_batched(
                || case.http_request(),
                |r| tower_call(&mut bare, r),
                BatchSize::SmallInput,
            )
        });
        let mut ours = ours_tower(policy, case.app);
        g.bench_function("ours-tower", |b| {
            b.iter_batched(
                || case.http_request(),
                |r| tower_call(&mut ours, r),
                BatchSize::SmallInput,
            )
        });
        let mut peer = tower_http(case.policy, case.app);
        g.bench_function("tower-http", |b| {
            b.iter_batched(
                || case.http_request(),
                |r| tower_call(&mut peer, r),
                BatchSize::SmallInput,
            )
        });

        // actix-web: ServiceRequest in, ServiceResponse out, driven the same way.
        let bare = ActixApp(case.app);
        g.bench_function("bare-actix", |b| {
            b.iter_batched(
                || case.actix_request(),
                |r| actix_call(&bare, r),
                BatchSize::SmallInput,
            )
        });
        let ours = ours_actix(policy, case.app);
        g.bench_function("ours-actix", |b| {
            b.iter_batched(
                || case.actix_request(),
                |r| actix_call(&ours, r),
                BatchSize::SmallInput,
            )
        });
        let peer = actix_cors(case.policy, case.app);
        g.bench_function("actix-cors", |b| {
            b.iter_batched(
                || case.actix_request(),
                |r| actix_call(&peer, r),
                BatchSize::SmallInput,
            )
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    // Short runs on a shared 2-core machine: 17 cases x 6 or 7 implementations,
    // about seven minutes. Pass --warm-up-time/--measurement-time to change them.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
