//! Heap allocations per request, per case and implementation, counted with a
//! counting global allocator (its own binary, so the timing benchmarks run on the
//! plain system allocator). Prints a Markdown table.
//!
//! ```sh
//! cargo bench -p cors-policy-benches --bench allocs
//! ```

mod common;

use std::alloc::System;
use std::hint::black_box;

use common::{actix_app, actix_call, actix_cors, tower_call, tower_http, Naive, Ours, CASES};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Calls per measurement (the count is averaged).
const N: usize = 1000;

/// Allocations (and reallocations) per call of `run` on inputs made by `make`, after
/// one warm-up call. Inputs are built and outputs dropped outside the counted region,
/// as in the timing benchmark.
fn per_call<I, O>(mut make: impl FnMut() -> I, mut run: impl FnMut(I) -> O) -> (f64, f64) {
    black_box(run(make()));
    let inputs: Vec<I> = (0..N).map(|_| make()).collect();
    let mut outputs: Vec<O> = Vec::with_capacity(N);
    let region = Region::new(GLOBAL);
    for input in inputs {
        outputs.push(run(input));
    }
    let stats = region.change();
    drop(black_box(outputs));
    let n = N as f64;
    (
        (stats.allocations + stats.reallocations) as f64 / n,
        stats.bytes_allocated as f64 / n,
    )
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to parse.
    common::check();
    let names = [
        "ours-decide/macro",
        "ours-decide/yaml",
        "ours-middleware/macro",
        "ours-middleware/yaml",
        "naive-vec",
        "tower-http",
        "actix-cors",
    ];
    let case = &CASES[0];
    let (http_app, _) = per_call(|| case.http_request(), common::app);
    let app = actix_app();
    let (actix, _) = per_call(|| case.actix_request(), |r| actix_call(&app, r));
    println!("applications alone, no CORS layer: http-app {http_app:.2}, actix-app {actix:.2}\n");
    println!("allocations per request (bytes allocated per request in parentheses)\n");
    println!("| case | {} |", names.join(" | "));
    println!("|---|{}", "---|".repeat(names.len()));
    for case in &CASES {
        let ours_macro = Ours::new(case.policy.macro_policy());
        let ours_yaml = Ours::new(case.policy.yaml_policy());
        let request = case.cors_request();
        let naive = Naive::new(case.policy);
        let mut tower = tower_http(case.policy);
        let actix = actix_cors(case.policy);
        let counts = [
            per_call(|| &request, |r| ours_macro.engine().decide(r).kind()),
            per_call(|| &request, |r| ours_yaml.engine().decide(r).kind()),
            per_call(|| case.http_request(), |r| ours_macro.handle(r)),
            per_call(|| case.http_request(), |r| ours_yaml.handle(r)),
            per_call(|| case.http_request(), |r| naive.handle(r)),
            per_call(|| case.http_request(), |r| tower_call(&mut tower, r)),
            per_call(|| case.actix_request(), |r| actix_call(&actix, r)),
        ];
        let cells: Vec<String> = counts
            .iter()
            .map(|(a, b)| format!("{a:.2} ({b:.0} B)"))
            .collect();
        println!("| {} | {} |", case.name, cells.join(" | "));
    }
}
