#!/usr/bin/env bash
# Memory check (docs/performance.md, "Memory"). It generates workspaces of
# 1,000, 10,000 and 30,000 objectives (and 100,000 with MEM_BENCH_100K=1;
# about 6.7 MB of YAML per 1,000), runs `okr validate` on each MEM_RUNS
# times (default 3) and prints the median wall time and peak RSS
# (/usr/bin/time's maximum resident set size), the ratio of peak RSS to the
# YAML's bytes, and the slope in MiB per 1,000 objectives from the 1k
# workspace. The 10k workspace is also run with GOMAXPROCS=1, 2 and 8, and
# with ajv-cli (schema check of the same files) when node and npm are there.
# Each workspace is also reported (`okr report --format json`), beside
# validate's peak RSS (goal: at most 1.15x).
# Needs go and /usr/bin/time. Knobs: MEM_RUNS, MEM_BENCH_100K=1,
# MEM_SIZES (objective counts, default "1000 10000 30000"), OKR_BIN (a built
# okr to measure instead of building this checkout, e.g. an older one to
# compare), MEM_WS (a folder to keep generated workspaces in between runs;
# default a temporary folder), SKIP_AJV=1.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
# shellcheck source=.ci/ajv.sh
. .ci/ajv.sh
runs=${MEM_RUNS:-3}
sizes=${MEM_SIZES:-1000 10000 30000}
if [ "${MEM_BENCH_100K:-}" = 1 ]; then sizes="$sizes 100000"; fi
# generate.Today: no generated check-in is later, so the workspaces are clean.
export OKR_TODAY=2026-11-23

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wsdir=${MEM_WS:-$work/ws}
mkdir -p "$wsdir"

echo "== machine"
echo "$(nproc) CPUs, $(go version), node $(node --version 2>/dev/null || echo missing)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews wall times)"

okr=${OKR_BIN:-}
if [ -z "$okr" ]; then
  okr=$work/okr
  go build -o "$okr" ./cmd/okr
fi
echo "okr: $okr"

# gen N: the workspace of N objectives, generated once.
gen() {
  local ws=$wsdir/$1
  if [ ! -f "$ws/okr.yaml" ]; then
    OKR_GEN_DIR=$ws OKR_GEN_OBJECTIVES=$1 go test ./internal/generate -run '^TestGenerateForBench$' -count=1 >/dev/null ||
      { echo "generating $1 objectives failed" >&2; exit 1; }
  fi
  echo "$ws"
}

# yamlbytes WS: the bytes of every YAML file in WS.
yamlbytes() { find "$1" -name '*.yaml' -type f -printf '%s\n' | awk '{ s += $1 } END { print s }'; }

# median: the median of the numbers on stdin.
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# measure LABEL CMD...: runs CMD $runs times; sets wall (s) and rss (MiB),
# the medians. Exit status 1 (findings) is fine, 2 and up is not.
measure() {
  local label=$1; shift
  : >"$work/walls"; : >"$work/rsss"
  for ((i = 1; i <= runs; i++)); do
    local rc=0
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >"$work/out" 2>"$work/err" || rc=$?
    if [ "$rc" -gt 1 ]; then echo "$label failed (exit $rc):" >&2; tail -5 "$work/err" >&2; exit 1; fi
    local w m
    read -r w m < <(tail -1 "$work/time.txt")
    echo "$w" >>"$work/walls"
    echo "$m" >>"$work/rsss"
  done
  wall=$(median <"$work/walls")
  rss=$(median <"$work/rsss" | awk '{ printf "%.1f", $1 / 1024 }')
}

base_n= base_rss=
declare -A validate_rss
row() { # row TOOL N PROCS BYTES
  local slope=-
  if [ "$1" = okr ] && [ "$3" = default ]; then
    if [ -z "$base_n" ]; then base_n=$2 base_rss=$rss
    elif [ "$2" != "$base_n" ]; then
      slope=$(awk -v r="$rss" -v b="$base_rss" -v n="$2" -v bn="$base_n" 'BEGIN { printf "%.1f", (r - b) / ((n - bn) / 1000) }')
    fi
  fi
  awk -v t="$1" -v n="$2" -v p="$3" -v b="$4" -v w="$wall" -v r="$rss" -v s="$slope" \
    'BEGIN { printf "| %-4s | %7d | %-10s | %9.1f | %7.2f | %9.1f | %7.2f | %9s |\n", t, n, p, b / 1e6, w, r, r * 1048576 / b, s }'
}

echo "== okr validate, median of $runs runs each"
echo "| tool | objectives | GOMAXPROCS | YAML MB | wall s | peak RSS MiB | RSS/YAML | slope MiB/1k |"
echo "|---|---|---|---|---|---|---|---|"
for n in $sizes; do
  ws=$(gen "$n")
  bytes=$(yamlbytes "$ws")
  measure "okr $n" "$okr" validate -C "$ws"
  row okr "$n" default "$bytes"
  validate_rss[$n]=$rss
  if [ "$n" = 10000 ]; then
    for p in 1 2 8; do
      GOMAXPROCS=$p measure "okr $n GOMAXPROCS=$p" env GOMAXPROCS=$p "$okr" validate -C "$ws"
      row okr "$n" "$p" "$bytes"
    done
  fi
done

echo "== okr report --format json beside okr validate, peak RSS, median of $runs runs each"
echo "| objectives | validate MiB | report json MiB | report / validate |"
echo "|---|---|---|---|"
for n in $sizes; do
  measure "okr report $n" "$okr" report --format json -C "$(gen "$n")"
  awk -v n="$n" -v v="${validate_rss[$n]}" -v r="$rss" 'BEGIN { printf "| %7d | %9.1f | %9.1f | %5.2fx |\n", n, v, r, r / v }'
done

if [ "${SKIP_AJV:-}" = 1 ] || ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "(ajv-cli skipped)"
  exit 0
fi
case " $sizes " in *" 10000 "*) ;; *) exit 0 ;; esac
ws=$(gen 10000)
ajv_setup "$work/npm" >"$work/ajv-version"
ajv_args "$repo" "$ws"
measure ajv "$ajv" "${ajvargs[@]}"
row ajv 10000 - "$(yamlbytes "$ws")"
echo "($(cat "$work/ajv-version"))"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
