#!/usr/bin/env bash
# Every shipped JSON Schema must compile under ajv's strict mode (draft
# 2020-12), which many editors and CI setups use: no union types, no
# unknown keywords, no ignored "type" next to a keyword of another type.
# jsonschema v6 compiles them in the Go tests. Then the check checks
# itself: a copy with a union type must be refused. Needs the npm
# registry; without it, says so loudly and skips.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "WARNING: SKIPPED the strict-schema check: node and npm are not installed"; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && npm install --no-audit --no-fund --loglevel=error ajv@8 ajv-formats@3 >/dev/null 2>&1); then
  echo "WARNING: SKIPPED the strict-schema check: npm could not install ajv"; exit 0
fi
cp .ci/schema-strict.mjs "$tmp/"
(cd "$tmp" && node schema-strict.mjs "$repo"/schema/*.schema.json)
mkdir "$tmp/broken"
sed 's/"value": {"oneOf": \[{"type": "number"}, {"type": "boolean"}\]/"value": {"type": ["number", "boolean"]/' schema/objective.schema.json > "$tmp/broken/objective.schema.json"
if cmp -s schema/objective.schema.json "$tmp/broken/objective.schema.json"; then
  echo "strict-schema self-check: could not make the broken copy"; exit 1
fi
if (cd "$tmp" && node schema-strict.mjs broken/objective.schema.json >/dev/null 2>&1); then
  echo "ajv strict mode accepted a schema with a union type: the check cannot fail"; exit 1
fi
echo "strict-schema: every schema compiles under ajv strict mode; a broken copy is refused"
