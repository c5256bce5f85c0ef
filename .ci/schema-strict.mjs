// Compiles every schema with ajv (draft 2020-12) in strict mode, as many
// editors and CI setups do; exits 1 naming each schema it refuses.
// Usage: node schema-strict.mjs SCHEMA.json...
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import fs from "fs";
let bad = 0;
const ajv = new Ajv2020({strict: true, allErrors: true});
addFormats(ajv);
const files = process.argv.slice(2);
for (const f of files) ajv.addSchema(JSON.parse(fs.readFileSync(f, "utf8")));
for (const f of files) {
  const s = JSON.parse(fs.readFileSync(f, "utf8"));
  try { ajv.getSchema(s.$id) || ajv.compile(s); console.log("ok", f); }
  catch (e) { console.log("FAIL", f, e.message); bad++; }
}
process.exit(bad ? 1 : 0);
