#!/usr/bin/env bash
# Measures ispd on the example forms against its targets and against pandoc,
# prints a Markdown table for the README and writes it to bench/results.md.
#
#   deploy/install-deps.sh && bench/run-bench.sh
#
# Targets: in-process parse < 2 ms, peak RSS < 10 MiB, whole process >= 20x
# faster than `pandoc -t json`. A missed target is reported with its margin.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build="build-bench"
out="$build/bench-results"
forms=(internal-new-notification restricted-criminality rescind)
rss_runs=11

die() { echo "run-bench: $*" >&2; exit 1; }
for tool in cmake hyperfine pandoc python3; do
  command -v "$tool" >/dev/null || die "$tool is missing; run deploy/install-deps.sh first"
done
[ -x /usr/bin/time ] || die "/usr/bin/time is missing; run deploy/install-deps.sh first"

echo "== building Release in $build"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DISPD_TESTS=OFF -DISPD_BENCH=ON \
  -DISPD_SANITIZE=OFF -DISPD_FUZZ=OFF -DISPD_WERROR=OFF >/dev/null
cmake --build "$build" --parallel "$(nproc)" --target ispd ispd_bench
ispd="$(find "$build" -type f -name ispd -perm -u+x -print -quit)"
[ -n "$ispd" ] || die "the build made no ispd executable"
rm -rf "$out"
mkdir -p "$out"
# Other work on the machine skews every number below; the table records how busy it was.
load="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "== in-process: ispd_bench"
"$build/bench/ispd_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out="$out/ispd_bench.json" --benchmark_out_format=json

# The median of several runs' peak resident set size, in KiB.
peak_rss_kib() {
  local samples=()
  for _ in $(seq "$rss_runs"); do
    /usr/bin/time -f %M -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" ||
      die "failed: $* ($(tail -n 1 "$out/stderr.txt"))"
    samples+=("$(tail -n 1 "$out/time.txt")")
  done
  printf '%s\n' "${samples[@]}" | sort -n | sed -n "$(((rss_runs + 1) / 2))p"
}

for form in "${forms[@]}"; do
  file="tests/data/forms/$form.docx"
  [ -f "$file" ] || die "$file is missing"
  echo "== whole process: $form"
  # Both commands in one hyperfine run, so they share the machine's state; -N: no shell in between.
  hyperfine -N --warmup 3 --runs 30 --export-json "$out/$form.hyperfine.json" \
    "$ispd parse $file" "pandoc -t json $file"
  echo "$(peak_rss_kib "$ispd" parse "$file") $(peak_rss_kib pandoc -t json "$file")" >"$out/$form.rss"
done

{
  echo "- when: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo none)"
  echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores," \
    "$(uname -sr), load average before the runs: $load"
  echo "- tools: $(c++ --version | head -n 1), $(pandoc --version | head -n 1), $(hyperfine --version)"
} >"$out/machine.txt"

python3 - "$out" "${forms[@]}" <<'EOF'
import json, sys

out, forms = sys.argv[1], sys.argv[2:]
MIB = 1024.0

def ms(seconds):
    return f"{seconds * 1e3:.2f} ms"

bench = json.load(open(f"{out}/ispd_bench.json"))
in_process = {}
for b in bench["benchmarks"]:
    if b.get("aggregate_name") != "mean":
        continue
    if b.get("error_occurred"):
        sys.exit(f"run-bench: {b['name']}: {b.get('error_message')}")
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
    in_process[b["run_name"].split("/")[1]] = b["real_time"] * scale

rows, worst_parse, worst_rss, worst_ratio = [], 0.0, 0.0, None
for form in forms:
    key = form.replace("-", "_")
    if key not in in_process:
        sys.exit(f"run-bench: ispd_bench has no result for {form}")
    ispd_run, pandoc_run = json.load(open(f"{out}/{form}.hyperfine.json"))["results"]
    ispd_rss, pandoc_rss = (int(x) / MIB for x in open(f"{out}/{form}.rss").read().split())
    ratio = pandoc_run["mean"] / ispd_run["mean"]
    worst_parse = max(worst_parse, in_process[key])
    worst_rss = max(worst_rss, ispd_rss)
    worst_ratio = ratio if worst_ratio is None else min(worst_ratio, ratio)
    rows.append(f"| `parse_form` in-process, {form}.docx | {ms(in_process[key])} | — | — |")
    rows.append(f"| `ispd parse {form}.docx` | {ms(ispd_run['mean'])} ± {ms(ispd_run['stddev'])}"
                f" | {ispd_rss:.1f} MiB | {ratio:.0f}× faster |")
    rows.append(f"| `pandoc -t json {form}.docx` | {ms(pandoc_run['mean'])} ± {ms(pandoc_run['stddev'])}"
                f" | {pandoc_rss:.1f} MiB | 1× |")

def verdict(met, missed_by):
    return "met" if met else f"**MISSED** by {missed_by}"

targets = [
    f"- in-process parse < 2 ms: slowest form {ms(worst_parse)} — "
    + verdict(worst_parse < 2e-3, f"{ms(worst_parse - 2e-3)} ({worst_parse / 2e-3:.2f}× the target)"),
    f"- peak RSS < 10 MiB: largest {worst_rss:.1f} MiB — "
    + verdict(worst_rss < 10, f"{worst_rss - 10:.1f} MiB ({worst_rss / 10:.2f}× the target)"),
    f"- whole process ≥ 20× faster than pandoc: least {worst_ratio:.1f}× — "
    + verdict(worst_ratio >= 20, f"{20 - worst_ratio:.1f}× (reached {worst_ratio / 20:.0%} of the target)"),
]

table = "\n".join(
    ["| what | mean time | peak RSS | vs pandoc |", "|---|---:|---:|---:|"] + rows
    + ["", "In-process: Google Benchmark mean of 5 repetitions. Whole process: hyperfine, 3 warm-ups,"
       " 30 runs, no shell. Peak RSS: median of 11 runs of `/usr/bin/time -f %M`.", ""]
    + targets + [""] + open(f"{out}/machine.txt").read().splitlines()
)
print(table)
open("bench/results.md", "w").write("# ispd benchmark\n\nMade by `bench/run-bench.sh`.\n\n" + table + "\n")
EOF
echo "== written to bench/results.md"
