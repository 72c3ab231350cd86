//! Linear scaling on big and hostile files: 100,000 origins (on lines of their own, or
//! quoted on one line), 100,000 `allow_headers` and 100,000 nested `[` are linted with exactly the expected findings, and the
//! memory they take grows with the input, never with its square.
//!
//! Boundedness is asserted on counts (findings, bytes allocated, as a counting
//! allocator sees them), never on wall-clock time; `docs/benchmarks.md` has the timings.
//! One test per file, so that no other test thread allocates while it counts.

use std::alloc::System;

use cors_policy::compiler::load::load_yaml;
use cors_policy::compiler::{Code, Severity};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Bytes allocated while linting `text`, and its findings as (code, count).
fn lint(text: &str) -> (usize, Vec<(Code, usize)>) {
    let region = Region::new(GLOBAL);
    let loaded = load_yaml(text);
    let bytes = region.change().bytes_allocated;
    let mut counts: Vec<(Code, usize)> = Vec::new();
    for d in loaded.diagnostics.iter() {
        match counts.iter_mut().find(|(c, _)| *c == d.code) {
            Some((_, n)) => *n += 1,
            None => counts.push((d.code, 1)),
        }
    }
    (bytes, counts)
}

/// `n` distinct origins (one in ten repeated once more), with credentials.
fn origins(n: usize) -> String {
    let mut yaml = String::from("origins:\n");
    for i in 0..n {
        yaml.push_str(&format!("  - https://app{i}.example{}.com\n", i % 100));
    }
    for i in (0..n).step_by(10) {
        yaml.push_str(&format!("  - https://app{i}.example{}.com\n", i % 100));
    }
    yaml.push_str("  - https://*.example7.com\ncredentials: true\n");
    yaml
}

fn headers(n: usize) -> String {
    let mut yaml = String::from("origins: [https://app.example.com]\nallow_headers:\n");
    for i in 0..n {
        yaml.push_str(&format!("  - X-Custom-{i}\n"));
    }
    for i in (0..n).step_by(10) {
        yaml.push_str(&format!("  - x-custom-{i}\n"));
    }
    yaml
}

#[test]
fn big_and_hostile_files_scale_linearly() {
    // 100,000 origins: every repetition reported, every exact origin under the
    // pattern's domain reported as shadowed, nothing else.
    let (small, _) = lint(&origins(10_000));
    let text = origins(100_000);
    let (big, counts) = lint(&text);
    assert_eq!(
        counts,
        [
            (Code::DuplicateEntry, 10_000),
            (Code::ShadowedOrigin, 1_000)
        ],
        "{counts:?}"
    );
    assert!(
        big < 12 * small,
        "memory grows faster than the policy: {small} -> {big}"
    );
    assert!(
        big < 200 * text.len(),
        "{big} bytes for {} bytes of policy",
        text.len()
    );

    let (small, _) = lint(&headers(10_000));
    let text = headers(100_000);
    let (big, counts) = lint(&text);
    assert_eq!(counts, [(Code::DuplicateEntry, 10_000)], "{counts:?}");
    assert!(
        big < 12 * small,
        "memory grows faster than the policy: {small} -> {big}"
    );

    // 100,000 quoted origins on one line: positions are found walking on along the
    // line, not from its start for each value.
    let line = |n: usize| {
        let items: Vec<String> = (0..n)
            .map(|i| format!("\"https://app{i}.example.com\""))
            .collect();
        format!("origins: [{}]\n", items.join(", "))
    };
    let (small, counts) = lint(&line(10_000));
    assert!(counts.is_empty(), "{counts:?}");
    let (big, counts) = lint(&line(100_000));
    assert!(counts.is_empty(), "{counts:?}");
    assert!(
        big < 12 * small,
        "memory grows faster than the policy: {small} -> {big}"
    );

    // 100,000 `[` on one line: one located error, before any parser recurses.
    for nesting in [
        "[".repeat(100_000),
        format!("origins: {}", "{a: ".repeat(100_000)),
    ] {
        let region = Region::new(GLOBAL);
        let loaded = load_yaml(&nesting);
        let bytes = region.change().bytes_allocated;
        let all: Vec<_> = loaded.diagnostics.iter().collect();
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(
            (all[0].code, all[0].severity, all[0].span.line),
            (Code::YamlSyntax, Severity::Error, 1)
        );
        assert!(
            all[0].message.contains("nest deeper than"),
            "{}",
            all[0].message
        );
        assert!(bytes < 100 * nesting.len(), "{bytes} bytes");
    }
}
