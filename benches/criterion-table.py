#!/usr/bin/env python3
"""Prints the medians of the last `cargo bench -p cors-policy-benches --bench peers`
run as a Markdown table (case x implementation, nanoseconds), from criterion's
target/criterion/<group>/<function>/new/estimates.json files."""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
IMPLS = [
    "ours-decide/macro",
    "ours-decide/yaml",
    "ours-middleware/macro",
    "ours-middleware/yaml",
    "naive-vec",
    "tower-http",
    "actix-cors",
]
rows = {}
for est in sorted(root.glob("**/new/estimates.json")):
    bench = json.loads((est.parent / "benchmark.json").read_text())
    median = json.loads(est.read_text())["median"]["point_estimate"]
    rows.setdefault(bench["group_id"], {})[bench["function_id"]] = median


def fmt(ns):
    return "" if ns is None else (f"{ns:,.0f}" if ns >= 100 else f"{ns:.1f}")


baseline = rows.pop("baseline_app-alone", None) or rows.pop("baseline/app-alone", None)
print("| case | " + " | ".join(IMPLS) + " |")
print("|---|" + "---:|" * len(IMPLS))
order = [
    "actual/1-origin/allowed", "actual/1-origin/denied", "actual/1000/first",
    "actual/1000/middle", "actual/1000/last", "actual/1000/denied",
    "actual/pattern/allowed", "actual/regex/allowed", "preflight/allowed-3-headers",
    "preflight/denied-origin", "preflight/denied-header", "no-origin",
]
for case in order:
    r = rows.get(case) or rows.get(case.replace("/", "_"), {})
    print(f"| {case} | " + " | ".join(fmt(r.get(i)) for i in IMPLS) + " |")
if baseline:
    print()
    print("applications alone (no CORS layer): " + ", ".join(
        f"{k} {fmt(v)} ns" for k, v in sorted(baseline.items())))
