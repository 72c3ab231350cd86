#!/usr/bin/env python3
"""Prints the medians of the last `cargo bench -p cors-policy-benches --bench peers`
run as Markdown (case x implementation, nanoseconds), then what each layer adds over
its bare application and the targets of docs/benchmarks.md, from criterion's
target/criterion/<group>/<function>/new/estimates.json files."""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
IMPLS = [
    "ours-decide",
    "bare-tower",
    "ours-tower",
    "tower-http",
    "bare-actix",
    "ours-actix",
    "actix-cors",
]
ORDER = [
    "actual/1-origin/allowed", "actual/1-origin/denied", "actual/1000/first",
    "actual/1000/middle", "actual/1000/last", "actual/1000/denied",
    "actual/pattern/allowed", "actual/regex/allowed", "preflight/allowed-3-headers",
    "preflight/denied-origin", "preflight/denied-header", "no-origin",
    "actual/100k/allowed", "actual/100k/denied", "realistic-app/1-origin/allowed",
    "realistic-app/1-origin/denied", "realistic-app/100k/allowed",
]
rows = {}
for est in sorted(root.glob("**/new/estimates.json")):
    bench = json.loads((est.parent / "benchmark.json").read_text())
    median = json.loads(est.read_text())["median"]["point_estimate"]
    rows.setdefault(bench["group_id"], {})[bench["function_id"]] = median


def fmt(ns):
    if ns is None:
        return ""
    return f"{ns:,.0f}" if abs(ns) >= 100 else f"{ns:.1f}"


print("Median ns per request:\n")
print("| case | " + " | ".join(IMPLS) + " |")
print("|---|" + "---:|" * len(IMPLS))
for case in ORDER:
    r = rows.get(case, {})
    print(f"| {case} | " + " | ".join(fmt(r.get(i)) for i in IMPLS) + " |")

print("\nWhat each layer adds over its bare application (ns; ratio ours/peer):\n")
print("| case | ours-tower | tower-http | ratio | ours-actix | actix-cors | ratio |")
print("|---|---:|---:|---:|---:|---:|---:|")
for case in ORDER:
    r = rows.get(case, {})
    try:
        ot = r["ours-tower"] - r["bare-tower"]
        pt = r["tower-http"] - r["bare-tower"]
        oa = r["ours-actix"] - r["bare-actix"]
        pa = r["actix-cors"] - r["bare-actix"]
    except KeyError:
        continue
    print(f"| {case} | {fmt(ot)} | {fmt(pt)} | {ot / pt:.2f} | {fmt(oa)} | {fmt(pa)} | {oa / pa:.2f} |")

one = rows.get("actual/1-origin/allowed", {})
big = rows.get("actual/100k/allowed", {})
if "ours-tower" in one and "ours-tower" in big:
    print(f"\nflat: ours-tower 100k allowed - 1-origin allowed = {fmt(big['ours-tower'] - one['ours-tower'])} ns"
          f"; ours-decide: {fmt(big['ours-decide'] - one['ours-decide'])} ns")
