//! cors-policy side by side with tower-http's `CorsLayer`, actix-cors and a naive
//! `Vec<String>` baseline, on the same requests and the same policies, in one
//! criterion run. See docs/benchmarks.md for the results and what differs.
//!
//! ```sh
//! cargo bench -p cors-policy-benches --bench peers
//! ```

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

mod common;

use std::hint::black_box;
use std::time::Duration;

use common::{actix_app, actix_call, actix_cors, tower_call, tower_http, Naive, Ours, CASES};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

fn bench(c: &mut Criterion) {
    // A fast wrong answer is no result: every implementation must answer every case
    // as expected before anything is timed.
    common::check();

    // What the applications cost alone, without any CORS layer: subtract these to
    // see what each layer adds.
    let case = &CASES[0];
    let mut g = c.benchmark_group("baseline/app-alone");
    g.bench_function("http-app", |b| {
        b.iter_batched(|| case.http_request(), common::app, BatchSize::SmallInput)
    });
    let app = actix_app();
    g.bench_function("actix-app", |b| {
        b.iter_batched(
            || case.actix_request(),
            |r| actix_call(&app, r),
            BatchSize::SmallInput,
        )
    });
    g.finish();

    for case in &CASES {
        let mut g = c.benchmark_group(case.name);
        let ours_macro = Ours::new(case.policy.macro_policy());
        let ours_yaml = Ours::new(case.policy.yaml_policy());

        // (a) Engine::decide alone, on an already extracted request.
        let request = case.cors_request();
        for (id, ours) in [
            ("ours-decide/macro", &ours_macro),
            ("ours-decide/yaml", &ours_yaml),
        ] {
            g.bench_function(id, |b| {
                b.iter(|| black_box(ours.engine().decide(black_box(&request))))
            });
        }

        // (b) The whole middleware: http::Request<()> in, http::Response<()> out. The
        // request is built outside the timed section (iter_batched); dropping it (in
        // the application) and building the response are timed.
        for (id, ours) in [
            ("ours-middleware/macro", &ours_macro),
            ("ours-middleware/yaml", &ours_yaml),
        ] {
            g.bench_function(id, |b| {
                b.iter_batched(
                    || case.http_request(),
                    |r| ours.handle(r),
                    BatchSize::SmallInput,
                )
            });
        }
        let naive = Naive::new(case.policy);
        g.bench_function("naive-vec", |b| {
            b.iter_batched(
                || case.http_request(),
                |r| naive.handle(r),
                BatchSize::SmallInput,
            )
        });
        let mut tower = tower_http(case.policy);
        g.bench_function("tower-http", |b| {
            b.iter_batched(
                || case.http_request(),
                |r| tower_call(&mut tower, r),
                BatchSize::SmallInput,
            )
        });
        let actix = actix_cors(case.policy);
        g.bench_function("actix-cors", |b| {
            b.iter_batched(
                || case.actix_request(),
                |r| actix_call(&actix, r),
                BatchSize::SmallInput,
            )
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    // Short runs: the whole suite (12 cases x 7 implementations) takes about five
    // minutes on a 2-core machine.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
