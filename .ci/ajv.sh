# Sourced by .ci/bench.sh and .ci/mem-bench.sh: installs ajv-cli with npm
# into a temporary folder and builds its command line.
#
# ajv_setup DIR: installs ajv-cli and ajv-formats into DIR, prints their
# versions, and sets $ajv (the ajv binary) and $ajv_module (the -c module
# that makes js-yaml keep dates as strings).
ajv_setup() {
  local dir=$1
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error ajv-cli ajv-formats >/dev/null)
  ajv=$dir/node_modules/.bin/ajv
  echo "ajv-cli $(node -p 'require(process.argv[1]).version' "$dir/node_modules/ajv-cli/package.json")," \
    "ajv $(node -p 'require(process.argv[1]).version' "$dir/node_modules/ajv/package.json")," \
    "ajv-formats $(node -p 'require(process.argv[1]).version' "$dir/node_modules/ajv-formats/package.json")," \
    "js-yaml $(node -p 'require(process.argv[1]).version' "$dir/node_modules/js-yaml/package.json")"
  # ajv-cli reads .yaml data with js-yaml 3's safeLoad, whose default schema
  # turns 2026-04-07 into a JavaScript Date, so every `format: date` field
  # fails "must be string". This -c module (loaded before any data file)
  # makes safeLoad use the YAML 1.2 core schema, where dates stay strings, as
  # okr reads them.
  ajv_module=$dir/yaml-core.js
  cat >"$ajv_module" <<'JS'
const yaml = require("js-yaml");
const safeLoad = yaml.safeLoad;
yaml.safeLoad = (s, opts) => safeLoad(s, Object.assign({ schema: yaml.CORE_SCHEMA }, opts));
module.exports = () => {};
JS
}

# ajv_args REPO WS: sets the array ajvargs to validate WS's objective files
# against REPO's objective schema. --allow-union-types silences strict
# mode's warning about `"type": ["number", "boolean"]`.
ajv_args() {
  ajvargs=(validate --spec=draft2020 --all-errors --allow-union-types --errors=line -c ajv-formats -c "$ajv_module"
    -s "$1/schema/objective.schema.json" -d "$2/objectives/**/*.yaml")
}
