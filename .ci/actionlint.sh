#!/usr/bin/env bash
# Lints every GitHub Actions workflow the project ships or documents with
# actionlint (github.com/rhysd/actionlint, pinned below): the workflow
# `okr init --ci github` writes (at the repository root and in a
# subfolder), and every ```yaml block with a `jobs:` key in README.md and
# docs/*.md. Then it checks itself: a deliberately broken copy must fail.
# Needs the Go module proxy; without it, says so loudly and skips.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
actionlint_version=v1.7.12
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! GOFLAGS=-mod=mod GOBIN="$tmp/bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$actionlint_version" 2>"$tmp/install.log"; then
  echo "WARNING: SKIPPED actionlint: could not install github.com/rhysd/actionlint@$actionlint_version"
  cat "$tmp/install.log"
  exit 0
fi
lint="$tmp/bin/actionlint"
go build -o "$tmp/okr" ./cmd/okr

# The workflows okr init writes.
mkdir -p "$tmp/wf"
for layout in root sub; do
  ws="$tmp/init-$layout"
  mkdir -p "$ws"
  git -C "$ws" init -q
  dir=$ws
  if [ "$layout" = sub ]; then dir="$ws/goals with space"; mkdir -p "$dir"; fi
  (cd "$dir" && OKR_TODAY=2026-11-23 "$tmp/okr" init --ci github --sync >/dev/null 2>&1)
  for f in "$ws"/.github/workflows/*.yml; do cp "$f" "$tmp/wf/init-$layout-$(basename "$f")"; done
done

# Every documented workflow: ```yaml blocks holding a top-level jobs: key.
for doc in README.md docs/*.md; do
  awk -v out="$tmp/wf/doc-$(basename "$doc" .md)" '
    /^```ya?ml[[:space:]]*$/ { inblock = 1; n++; buf = ""; jobs = 0; next }
    inblock && /^```/ { inblock = 0; if (jobs) { f = out "-" n ".yml"; printf "%s", buf > f; close(f) } next }
    inblock { buf = buf $0 "\n"; if ($0 ~ /^jobs:/) jobs = 1 }
  ' "$doc"
done

n=$(ls "$tmp/wf" | wc -l)
if [ "$n" -lt 3 ]; then
  echo "actionlint: only $n workflows found; the extraction is broken"; exit 1
fi
echo "actionlint $actionlint_version on $n workflows:"
ls "$tmp/wf"
"$lint" -shellcheck= -pyflakes= "$tmp"/wf/*.yml
# Least privilege, stated: every workflow names its permissions, contents:
# read among them (naming any permission sets the others to none); only
# the scheduled okr sync workflow, which pushes its branch, may write.
if ! ls "$tmp"/wf/init-root-okr-sync.yml >/dev/null 2>&1; then
  echo "actionlint: okr init --sync wrote no okr-sync.yml"; exit 1
fi
for f in "$tmp"/wf/*.yml; do
  if grep -Eq '^ *contents: write|permissions:.*contents: write' "$f" && grep -q 'okr sync' "$f" && ! grep -q 'pull_request' "$f"; then
    continue
  fi
  if ! grep -Eq 'permissions:.*contents: read|^ *contents: read' "$f"; then
    echo "$(basename "$f"): no explicit 'contents: read' permission"; exit 1
  fi
done

# The check can fail: a copy with an unknown permission scope and a typo'd
# runs-on key must be rejected.
broken="$tmp/broken.yml"
sed -e 's/^permissions:.*/permissions: {contents: wrte}/' -e 's/runs-on:/run-on:/' "$(ls "$tmp"/wf/init-root-*.yml | head -1)" > "$broken"
if "$lint" -shellcheck= -pyflakes= "$broken" >/dev/null 2>&1; then
  echo "actionlint accepted a deliberately broken workflow: the check cannot fail"; exit 1
fi
echo "actionlint: all clean, and a broken copy is rejected"
