#!/usr/bin/env bash
# Performance check (docs/performance.md). It generates a workspace of
# OKR_BENCH_OBJECTIVES objectives (default 10,000; 4 key results with 12
# check-ins each, about 66 MB), then
#   1. runs the Go benchmarks BenchmarkParseFloor (read + parse to yaml.Node,
#      nothing else) and BenchmarkValidate (validate.Run) and prints the ratio
#      validate/floor (goal: at most 1.25), warm (-count runs of -benchtime
#      iterations in one process) and cold (a fresh process per iteration);
#   2. times the built `okr validate` binary against ajv-cli (installed with
#      npm into a temporary folder) validating the objective files against
#      schema/objective.schema.json, and prints the ratio okr/ajv.
# Needs go, node and npm (the npm registry). Knobs: OKR_BENCH_OBJECTIVES,
# BENCH_COUNT (go test -count, default 3), BENCH_TIME (-benchtime, default
# 3x), BENCH_RUNS (cold runs and timed runs of each CLI, default 3),
# BENCH_FILTER (the warm -bench regexp, default ParseFloor|ParseFloorDiscard|Validate),
# SKIP_AJV=1.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
# shellcheck source=.ci/ajv.sh
. .ci/ajv.sh

n=${OKR_BENCH_OBJECTIVES:-10000}
count=${BENCH_COUNT:-3}
benchtime=${BENCH_TIME:-3x}
runs=${BENCH_RUNS:-3}
filter=${BENCH_FILTER:-ParseFloor|ParseFloorDiscard|Validate}
# generate.Today: no generated check-in is later, so the workspace is clean.
export OKR_TODAY=2026-11-23

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ws=$work/ws

echo "== machine"
echo "$(nproc) CPUs, $(go version), node $(node --version 2>/dev/null || echo missing)"
grep -m1 'model name' /proc/cpuinfo || true
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the numbers)"

echo "== generate $n objectives into $ws"
OKR_GEN_DIR=$ws OKR_GEN_OBJECTIVES=$n go test ./internal/generate -run '^TestGenerateForBench$' -count=1 -v |
  grep -o 'wrote .*' || { echo "generation failed"; exit 1; }
echo "workspace: $(find "$ws" -name '*.yaml' | wc -l) files, $(du -sh "$ws" | cut -f1) on disk"

# medians FILE LABEL: the median ns/op of every benchmark in FILE (go test
# -bench output), then the ratio validate/floor.
medians() {
  awk -v label="$2" '
    /^Benchmark/ {
      name = $1; sub(/-[0-9]+$/, "", name)
      if (!(name in v)) order[++nn] = name
      v[name] = v[name] " " $3
    }
    END {
      for (o = 1; o <= nn; o++) {
        name = order[o]
        k = split(substr(v[name], 2), a, " ")
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
        med[name] = (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
        printf "%s median %-22s %7.3f s/op (%d runs)\n", label, name, med[name] / 1e9, k
      }
      # The floor is the faster of the two parse-only benchmarks.
      f = med["BenchmarkParseFloor"]; d = med["BenchmarkParseFloorDiscard"]
      if (d > 0 && (f == 0 || d < f)) f = d
      val = med["BenchmarkValidate"]
      if (f > 0 && val > 0) printf "%s ratio validate/floor: %.2fx (goal <= 1.25x)\n", label, val / f
    }' "$1"
}

go test -c -o "$work/validate.test" ./internal/validate
export OKR_BENCH_OBJECTIVES=$n OKR_BENCH_DIR=$ws

echo "== go test -bench '$filter' -benchtime=$benchtime -count=$count (warm: one process)"
"$work/validate.test" -test.run '^$' -test.bench "^Benchmark($filter)\$" -test.benchtime="$benchtime" \
  -test.count="$count" | tee "$work/bench.txt"
medians "$work/bench.txt" warm

# A fresh process per run, one iteration each: like the CLI, these pay for
# mapping the heap from the OS, which the warm runs reuse.
echo "== the same, -benchtime=1x, a fresh process per run, $runs runs each (cold)"
for ((i = 1; i <= runs; i++)); do
  for b in ParseFloor ParseFloorDiscard Validate; do
    "$work/validate.test" -test.run '^$' -test.bench "^Benchmark$b\$" -test.benchtime=1x | grep '^Benchmark'
  done
done | tee "$work/cold.txt"
medians "$work/cold.txt" cold

echo "== okr validate (built binary), $runs runs"
go build -o "$work/okr" ./cmd/okr
"$work/okr" validate -C "$ws" >"$work/okr.out" 2>&1 || { echo "okr validate failed:"; tail -5 "$work/okr.out"; exit 1; }
tail -1 "$work/okr.out"

# timeit LABEL CMD...: runs CMD $runs times, prints every run and the best
# wall time in seconds into $work/LABEL.best.
timeit() {
  local label=$1; shift
  local best=
  for ((i = 1; i <= runs; i++)); do
    /usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" "$@" >"$work/$label.out" 2>"$work/$label.err" || {
      echo "$label failed:"; tail -5 "$work/$label.err"; exit 1; }
    read -r wall user sys rss <"$work/time.txt"
    printf '%-6s run %d: %6.2f s wall, %6.2f s user, %6.2f s sys, %5d MB max RSS\n' "$label" "$i" "$wall" "$user" "$sys" $((rss / 1024))
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$wall; fi
  done
  echo "$best" >"$work/$label.best"
}
timeit okr "$work/okr" validate -C "$ws"

if [ "${SKIP_AJV:-}" = 1 ]; then
  exit 0
fi

echo "== ajv-cli"
ajv_setup "$work/npm"
ajv_args "$repo" "$ws"
echo "ajv ${ajvargs[*]}"
timeit ajv "$ajv" "${ajvargs[@]}"
valid=$(grep -c ' valid$' "$work/ajv.out" || true)
echo "ajv: $valid files valid"
[ "$valid" -eq "$n" ] || { echo "ajv found invalid files:"; head -5 "$work/ajv.err"; exit 1; }

awk -v o="$(cat "$work/okr.best")" -v a="$(cat "$work/ajv.best")" \
  'BEGIN { printf "best wall: okr %.2f s, ajv-cli %.2f s; ratio okr/ajv: %.2fx\n", o, a, o / a }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
