//! Heap allocations per request, per case and implementation, counted with a
//! counting global allocator (its own binary, so the timing benchmarks run on the
//! plain system allocator). Prints a Markdown table; "own" is what our layer adds to
//! the bare application's count on the same request.
//!
//! ```sh
//! cargo bench -p cors-policy-benches --bench allocs
//! ```

mod common;

use std::alloc::System;
use std::hint::black_box;

use common::{
    actix_call, actix_cors, engine, ours_actix, ours_tower, tower_call, tower_http, ActixApp, App,
    CASES,
};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Calls per measurement (the count is averaged).
const N: usize = 1000;

/// Allocations (and reallocations) per call of `run` on inputs made by `make`, after
/// one warm-up call, and bytes allocated per call. Inputs are built and outputs
/// dropped outside the counted region, as in the timing benchmark.
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

fn cell((allocs, bytes): (f64, f64)) -> String {
    format!("{allocs:.2} ({bytes:.0} B)")
}

fn own(ours: (f64, f64), bare: (f64, f64)) -> String {
    format!("**{:+.2}**", ours.0 - bare.0)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to parse.
    common::check();
    let names = [
        "ours-decide",
        "bare-tower",
        "ours-tower",
        "own (tower)",
        "tower-http",
        "bare-actix",
        "ours-actix",
        "own (actix)",
        "actix-cors",
    ];
    println!("allocations per request (bytes allocated per request in parentheses)\n");
    println!("| case | {} |", names.join(" | "));
    println!("|---|{}", "---:|".repeat(names.len()));
    for case in &CASES {
        let policy = case.policy.macro_policy();
        let engine = engine(policy);
        let request = case.cors_request();
        let mut bare_tower = App(case.app);
        let mut ours_t = ours_tower(policy, case.app);
        let mut peer_t = tower_http(case.policy, case.app);
        let bare_actix = ActixApp(case.app);
        let ours_a = ours_actix(policy, case.app);
        let peer_a = actix_cors(case.policy, case.app);

        let decide = per_call(|| &request, |r| engine.decide(r).kind());
        let bt = per_call(|| case.http_request(), |r| tower_call(&mut bare_tower, r));
        let ot = per_call(|| case.http_request(), |r| tower_call(&mut ours_t, r));
        let pt = per_call(|| case.http_request(), |r| tower_call(&mut peer_t, r));
        let ba = per_call(|| case.actix_request(), |r| actix_call(&bare_actix, r));
        let oa = per_call(|| case.actix_request(), |r| actix_call(&ours_a, r));
        let pa = per_call(|| case.actix_request(), |r| actix_call(&peer_a, r));
        let cells = [
            cell(decide),
            cell(bt),
            cell(ot),
            own(ot, bt),
            cell(pt),
            cell(ba),
            cell(oa),
            own(oa, ba),
            cell(pa),
        ];
        println!("| {} | {} |", case.name, cells.join(" | "));
    }
}
