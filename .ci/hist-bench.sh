#!/usr/bin/env bash
# History performance check (docs/performance.md, "History"). It builds a
# generated repository of OKR_HIST_OBJECTIVES objectives (default 1,000) and
# OKR_HIST_COMMITS commits (default 20,000, two thirds of them touching the
# workspace, each commit changing one file) with generate.BuildHistory, then
#   1. BenchmarkStates: the state of the workspace at every commit that
#      touched it, scored (goal: at most 1.5 s);
#   2. `okr trend` (the weekly series of the active cycle) beside
#      `git log --first-parent --raw -- <workspace>`, and `okr log ID`
#      of the objective changed most often, timed as whole CLI runs, beside
#      `git log --format=%H -- <its path>` (goal for okr log: at most 2x git).
# Needs go and git. Knobs: OKR_HIST_OBJECTIVES, OKR_HIST_COMMITS, BENCH_RUNS
# (timed runs of each command, default 5; the median is printed),
# BENCH_COUNT (go test -count for BenchmarkStates, default 3), HIST_REPO (an
# existing repository built by a previous run, to skip building).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${BENCH_RUNS:-5}
count=${BENCH_COUNT:-3}
export OKR_TODAY=2026-11-23

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== machine"
echo "$(nproc) CPUs, $(go version), $(git --version)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the numbers)"

repo=${HIST_REPO:-}
if [ -z "$repo" ]; then
  repo=$work/repo
  echo "== build the history into $repo"
  OKR_HIST_DIR=$repo go test ./internal/generate -run '^TestBuildHistoryForBench$' -count=1 -v |
    tee "$work/gen.log" | grep -E 'wrote|bench-' || { cat "$work/gen.log"; exit 1; }
else
  echo "== reuse $repo"
  : >"$work/gen.log"
fi
id='' path=''
read -r _ id path _ < <(grep -o 'bench-objective .*' "$work/gen.log") || true
if [ -z "${id:-}" ]; then
  # Fall back to the most-touched file by git itself.
  path=$(git -C "$repo" log --format= --name-only -- okrs/objectives | sort | uniq -c | sort -rn | awk 'NR==1{print $2}')
  id=$(basename "$path" .yaml)
fi
echo "repository: $(git -C "$repo" rev-list --count HEAD) commits, $(git -C "$repo" rev-list --count HEAD -- okrs) touching okrs/, .git $(du -sh "$repo/.git" | cut -f1)"
echo "log target: $id ($path, $(git -C "$repo" log --format=%H -- "$path" | wc -l) commits)"

echo "== BenchmarkStates and BenchmarkLog: cold (a fresh process each, as the CLI runs) and warm (-count $count in one process)"
go test -c -o "$work/hist.test" ./internal/history
for _ in $(seq "$count"); do
  for b in States Log; do
    OKR_HIST_REPO=$repo OKR_HIST_ID=$id "$work/hist.test" -test.run '^$' -test.bench "^Benchmark$b\$" -test.benchtime 1x -test.count 1
  done
done | grep '^Benchmark' | sed 's/^/cold /' | tee "$work/cold.txt"
OKR_HIST_REPO=$repo OKR_HIST_ID=$id "$work/hist.test" -test.run '^$' -test.bench '^Benchmark(States|Log)$' -test.benchtime 1x -test.count "$((count + 1))" |
  grep '^Benchmark' | awk '{ n[$1]++ } n[$1] > 1' | sed 's/^/warm /' | tee "$work/warm.txt"
cat "$work/cold.txt" "$work/warm.txt" | awk '{ key = $1 " " $2; v[key] = v[key] " " $4 } END {
  for (k in v) { m = split(substr(v[k], 2), a, " ")
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    med = (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
    printf "%-28s median %.3f s (%d runs)\n", k, med / 1e9, m } }' | sort
echo "(goal for BenchmarkStates, the state at every commit that touched the workspace, scored: 1.5 s)"

go build -o "$work/okr" ./cmd/okr

# median_time LABEL CMD...: run CMD $runs times in $repo/okrs, print the median
# wall time in seconds.
median_time() {
  local label=$1
  shift
  local ts=()
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s.%N)
    (cd "$repo/okrs" && "$@" >/dev/null)
    e=$(date +%s.%N)
    ts+=("$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.6f", e - s }')")
  done
  printf '%s\n' "${ts[@]}" | sort -n | awk -v label="$label" '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%-28s median %.3f s (%d runs)\n", label, m, NR; print m > "/dev/stderr" }'
}

echo "== CLI runs (median of $runs)"
median_time "okr trend (weekly)" "$work/okr" trend 2>"$work/trend.t"
# git's nearest equivalent of the walk: every first-parent commit that
# touched the workspace with the blobs it changed (git cannot score them).
median_time "git log --raw -- <workspace>" git log --first-parent --raw --no-abbrev --format=%H -- . 2>"$work/raw.t"
median_time "okr log $id" "$work/okr" log "$id" 2>"$work/log.t"
median_time "git log -- <path>" git log --format=%H -- "objectives/${path#okrs/objectives/}" 2>"$work/git.t"
awk -v okr="$(cat "$work/log.t")" -v git="$(cat "$work/git.t")" 'BEGIN {
  printf "okr log / git log: %.2fx (goal: at most 2x)\n", okr / git }'

# The machine's noise is of the order of the gap between the two, so the
# ratio again with the two commands alternated (one okr log, one git log,
# ALT_RUNS times, default 9): both see the same moments of the machine.
alt=${ALT_RUNS:-9}
: >"$work/alt.okr"
: >"$work/alt.git"
for _ in $(seq "$alt"); do
  for which in okr git; do
    s=$(date +%s.%N)
    if [ "$which" = okr ]; then
      (cd "$repo/okrs" && "$work/okr" log "$id" >/dev/null)
    else
      (cd "$repo/okrs" && git log --format=%H -- "objectives/${path#okrs/objectives/}" >/dev/null)
    fi
    e=$(date +%s.%N)
    awk -v s="$s" -v e="$e" 'BEGIN { printf "%.6f\n", e - s }' >>"$work/alt.$which"
  done
done
med() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
awk -v okr="$(med "$work/alt.okr")" -v git="$(med "$work/alt.git")" -v n="$alt" 'BEGIN {
  printf "alternated x%d: okr log median %.3f s, git log median %.3f s: %.2fx (goal: at most 2x)\n", n, okr, git, okr / git }'
