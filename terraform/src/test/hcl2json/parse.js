// Parses HCL files with HashiCorp's own HCL v2 parser (the WebAssembly build in @cdktf/hcl2json).
// One request per stdin line: {"NAME.tf": "file text", ...}
// One answer per stdout line:  {"NAME.tf": {"json": {...}} | {"error": "the parser's message"}, ...}
// The process serves requests until stdin closes: starting node and its WebAssembly module is what costs time.
'use strict';
const { parse } = require('@cdktf/hcl2json');
const readline = require('readline');

async function answer(files) {
  const results = {};
  for (const [name, text] of Object.entries(files)) {
    try {
      results[name] = { json: await parse(name, text) };
    } catch (e) {
      results[name] = { error: String(e && e.message ? e.message : e) };
    }
  }
  return results;
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => process.stdout.write(JSON.stringify(await answer(JSON.parse(line))) + '\n'));
});
lines.on('close', () => queue.then(() => process.exit(0)));
