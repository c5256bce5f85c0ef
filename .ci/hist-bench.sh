#!/usr/bin/env bash
# History performance check (docs/performance.md, "History"). It builds a
# generated repository of OKR_HIST_OBJECTIVES objectives (default 1,000) and
# OKR_HIST_COMMITS commits (default 20,000, two thirds of them touching the
# workspace, each commit changing one file) with generate.BuildHistory, then
#   1. BenchmarkStates: the state of the workspace at every commit that
#      touched it, scored (goal: at most 1.2 s), and BenchmarkLog;
#   2. with each backend (OKR_GIT=git, then go-git), whole CLI runs
#      alternated with git's nearest equivalent: `okr log ID` of the
#      objective changed most often beside `git log --format=%H -- <path>`
#      (goal 1.3x), `okr snapshot --at DAY` beside `git archive | tar -x`
#      (1.5x; and beside the same extraction into /dev/shm, which leaves
#      out the disk's cost of creating files), `okr trend` beside
#      `git log --first-parent --raw -- okrs` (2x);
#   3. the go-git backend beside the git backend on each (within 3x).
#   4. the peak RSS of `okr trend` with each backend (goal: 150 MiB).
# Needs go, git and /usr/bin/time. Knobs: OKR_HIST_OBJECTIVES, OKR_HIST_COMMITS, BENCH_RUNS
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
echo "(goal for BenchmarkStates, the state at every commit that touched the workspace, scored: 1.2 s)"
# What git itself spends on that walk: the three git commands it runs
# as it runs them (the first-parent list, oldest first; the raw diff of
# every commit, given as the pair of its parent's tree and its own, with a
# 4 MB delta base cache; the blobs those diffs name), standalone and one
# after another. On two cores this work shares the CPUs with okr's
# decoding, so it says how far below it BenchmarkStates can get on this
# machine.
empty=$(git -C "$repo" hash-object -t tree /dev/null)
git -C "$repo" log --first-parent --reverse --format=%T HEAD |
  awk -v p="$empty" '{ print p, $1; p = $1 }' >"$work/pairs.txt"
git -C "$repo/okrs" diff-tree --stdin -z -r --raw --no-renames --no-abbrev -- . <"$work/pairs.txt" |
  tr '\0' '\n' | awk '/^:/ && $4 !~ /^0+$/ { print $4 }' | sort -u >"$work/blobs.txt"
for _ in $(seq "$count"); do
  s=$(date +%s.%N)
  git -C "$repo" -c core.quotepath=off log -z --no-color --no-abbrev --date=raw \
    '--format=%x01%H%x00%T%x00%P%x00%an%x00%ae%x00%cd%x00%B' --first-parent --reverse HEAD >/dev/null
  git -C "$repo/okrs" -c core.deltaBaseCacheLimit=4m diff-tree --stdin -z -r --raw --no-renames --no-abbrev -- . <"$work/pairs.txt" >/dev/null
  git -C "$repo" cat-file --batch <"$work/blobs.txt" >/dev/null
  e=$(date +%s.%N)
  awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f\n", e - s }'
done | sort -n | awk -v n="$(wc -l <"$work/blobs.txt")" '{ v[NR] = $1 } END {
  med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "git log + diff-tree --stdin + cat-file of the %d blobs, one after another: median %.3f s (%d runs, BENCH_COUNT)\n", n, med, NR }'

# okr built as the release builds it (.goreleaser.yaml): static, without
# symbol tables. It starts about 8% sooner than a default `go build`.
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$work/okr" ./cmd/okr

# pair LABEL 'OKR CMD' 'GIT CMD': the two run alternately ALT_RUNS times
# (default 7) in $repo/okrs, so both see the same moments of the machine;
# prints both medians and their ratio.
alt=${ALT_RUNS:-7}
pair() {
  local label=$1 a=$2 b=$3
  : >"$work/a.t"
  : >"$work/b.t"
  for _ in $(seq "$alt"); do
    for which in a b; do
      local cmd=$a
      [ "$which" = b ] && cmd=$b
      s=$(date +%s.%N)
      (cd "$repo/okrs" && eval "$cmd" >/dev/null 2>&1) || echo "failed: $cmd" >&2
      e=$(date +%s.%N)
      awk -v s="$s" -v e="$e" 'BEGIN { printf "%.6f\n", e - s }' >>"$work/$which.t"
    done
  done
  med() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
  awk -v a="$(med "$work/a.t")" -v b="$(med "$work/b.t")" -v l="$label" -v n="$alt" 'BEGIN {
    printf "%-40s %.3f s vs %.3f s: %.2fx (x%d alternated)\n", l, a, b, a / b, n }'
}

day=$(git -C "$repo" log -1 --format=%cs HEAD~3000)
rel="objectives/${path#okrs/objectives/}"
for backend in git go-git; do
  echo "== CLI runs, OKR_GIT=$backend (medians of $alt, alternated with git)"
  export OKR_GIT=$backend
  pair "okr log $id / git log -- path" "$work/okr log $id" "git log --format=%H -- $rel"
  pair "okr snapshot --at $day / git archive|tar" "$work/okr snapshot --at $day" \
    "rm -rf $work/x && mkdir $work/x && git archive \$(git rev-list -1 --first-parent --before=${day}T23:59:59 HEAD) . | tar -x -C $work/x"
  pair "okr trend / git log --raw -- okrs" "$work/okr trend" "git log --first-parent --raw --no-abbrev --format=%H -- ."
done
# tar -x on a slow disk can cost more than the whole snapshot: the same
# comparison with the files extracted into memory (tmpfs) leaves the disk out.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  shm=$(mktemp -d /dev/shm/okr-hist.XXXXXX)
  pair "okr snapshot --at $day / archive|tar into tmpfs" "OKR_GIT=git $work/okr snapshot --at $day" \
    "rm -rf $shm/x && mkdir $shm/x && git archive \$(git rev-list -1 --first-parent --before=${day}T23:59:59 HEAD) . | tar -x -C $shm/x"
  # What a user without okr's history commands would run for the same
  # report: extract the files of that day, then okr report on them.
  pair "okr snapshot --at $day / archive|tar + okr report" "OKR_GIT=git $work/okr snapshot --at $day" \
    "rm -rf $shm/x && mkdir $shm/x && git archive \$(git rev-list -1 --first-parent --before=${day}T23:59:59 HEAD) . | tar -x -C $shm/x && $work/okr report -C $shm/x --as-of $day"
  rm -rf "$shm"
fi
unset OKR_GIT
echo "== the go-git backend against the git backend (medians of $alt, alternated)"
pair "okr log $id: go-git / git" "OKR_GIT=go-git $work/okr log $id" "OKR_GIT=git $work/okr log $id"
pair "okr snapshot --at $day: go-git / git" "OKR_GIT=go-git $work/okr snapshot --at $day" "OKR_GIT=git $work/okr snapshot --at $day"
pair "okr trend: go-git / git" "OKR_GIT=go-git $work/okr trend" "OKR_GIT=git $work/okr trend"
pair "BenchmarkStates: go-git / git" \
  "OKR_GIT=go-git OKR_HIST_REPO=$repo $work/hist.test -test.run '^\$' -test.bench '^BenchmarkStates\$' -test.benchtime 1x" \
  "OKR_GIT=git OKR_HIST_REPO=$repo $work/hist.test -test.run '^\$' -test.bench '^BenchmarkStates\$' -test.benchtime 1x"
echo "== peak RSS of okr trend over the whole history (median of $runs runs; goal: at most 150 MiB)"
for backend in git go-git; do
  for _ in $(seq "$runs"); do
    (cd "$repo/okrs" && OKR_GIT=$backend /usr/bin/time -f '%M' -o "$work/rss.txt" "$work/okr" trend >/dev/null 2>&1) || echo "failed: okr trend" >&2
    tail -1 "$work/rss.txt"
  done | sort -n | awk -v b="$backend" '{ v[NR] = $1 } END { printf "okr trend, OKR_GIT=%-7s %.1f MiB\n", b, v[int((NR + 1) / 2)] / 1024 }'
done
echo "(goals: log <= 1.3x, snapshot --at <= 1.5x, trend <= 2x, States <= 1.2 s, go-git within 3x of git on each)"
