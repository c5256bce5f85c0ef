// Parses okr's Mermaid output with mermaid's own parser (what GitHub uses to
// render a mermaid block), under jsdom. Usage: node mermaid-check.mjs FILE...
// A file that does not parse fails the check; a known-bad diagram must fail
// too, so the check cannot pass vacuously.
import fs from 'fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');

let failed = false;
for (const file of process.argv.slice(2)) {
  try {
    const r = await mermaid.parse(fs.readFileSync(file, 'utf8'));
    console.log(`mermaid: ${file}: ${r.diagramType} ok`);
  } catch (e) {
    console.log(`mermaid: ${file}: ${e.message.split('\n')[0]}`);
    failed = true;
  }
}
try {
  await mermaid.parse('flowchart TD\n  n0["x"] -->');
  console.log('mermaid: a broken diagram parsed; the check is toothless');
  failed = true;
} catch (e) {
  console.log('mermaid: a broken diagram is rejected, as it must be');
}
process.exit(failed ? 1 : 0);
