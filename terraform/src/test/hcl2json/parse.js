// Parses HCL files with HashiCorp's own HCL v2 parser (the WebAssembly build in @cdktf/hcl2json).
// stdin:  {"NAME.tf": "file text", ...}
// stdout: {"NAME.tf": {"json": {...}} | {"error": "the parser's message"}, ...}
// One process parses many files: starting node and its WebAssembly module is what costs time.
'use strict';
const { parse } = require('@cdktf/hcl2json');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const files = JSON.parse(input);
  const results = {};
  for (const [name, text] of Object.entries(files)) {
    try {
      results[name] = { json: await parse(name, text) };
    } catch (e) {
      results[name] = { error: String(e && e.message ? e.message : e) };
    }
  }
  process.stdout.write(JSON.stringify(results));
});
