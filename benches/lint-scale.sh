#!/usr/bin/env bash
# Lint time vs policy size (docs/benchmarks.md, "Lint time vs policy size"): generates
# policies of 1,000 / 10,000 / 100,000 origins, one of 100,000 allow_headers and one of
# 100,000 nested `[`, and times `cors-policy lint` on each with hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p cors-policy-cli
dir=$(mktemp -d)
python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
for n in (1000, 10000, 100000):
    with open(f"{d}/origins-{n}.yaml", "w") as f:
        f.write("origins:\n")
        f.writelines(f"  - https://app{i}.example{i % 100}.com\n" for i in range(n))
        f.write("credentials: true\n")
with open(f"{d}/headers-100000.yaml", "w") as f:
    f.write("origins: [https://app.example.com]\nallow_headers:\n")
    f.writelines(f"  - X-Custom-{i}\n" for i in range(100000))
with open(f"{d}/nesting-100000.yaml", "w") as f:
    f.write("[" * 100000 + "\n")
PY
bin=target/release/cors-policy
hyperfine -N -i --warmup 1 --runs 5 --export-markdown "$dir/results.md" \
  "$bin lint $dir/origins-1000.yaml" "$bin lint $dir/origins-10000.yaml" \
  "$bin lint $dir/origins-100000.yaml" "$bin lint $dir/headers-100000.yaml" \
  "$bin lint $dir/nesting-100000.yaml"
cat "$dir/results.md"
