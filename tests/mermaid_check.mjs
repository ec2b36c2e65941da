// mermaid_check.mjs TOOLS_DIR FILE... — parses each Mermaid file with Mermaid's own parser (the
// npm package `mermaid`, installed under TOOLS_DIR by .ci/run, run in jsdom). Prints one line per
// file that does not parse and "N passed, M failed"; exits 1 when any failed.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [tools, ...files] = process.argv.slice(2);
const require = createRequire(path.join(tools, 'package.json'));
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
const mermaidDir = path.dirname(require.resolve('mermaid/package.json'));
const { default: mermaid } = await import(pathToFileURL(path.join(mermaidDir, 'dist', 'mermaid.core.mjs')).href);
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
let bad = 0;
for (const f of files) {
  try {
    await mermaid.parse(readFileSync(f, 'utf8'));
  } catch (e) {
    bad++;
    console.log(`${f}: ${String(e && e.message ? e.message : e).split('\n').slice(0, 4).join(' | ')}`);
  }
}
console.log(`${files.length - bad} passed, ${bad} failed`);
process.exit(bad ? 1 : 0);
