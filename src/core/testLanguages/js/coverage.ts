import type { TestLanguageSpec } from '../spec';

/**
 * Line coverage for JavaScript/TypeScript: `node --test` with NODE_V8_COVERAGE (V8's own block coverage), read back by
 * a small driver that turns byte ranges into lines and prints one last line `@@infill-coverage {...}`.
 */
const JS_DRIVER = String.raw`'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const dir = path.resolve('.infill-coverage');
const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', CONFIG.test], { stdio: 'inherit', env: { ...process.env, NODE_V8_COVERAGE: dir } });
const file = fs.realpathSync(CONFIG.cover);
const target = pathToFileURL(file).href;
const source = fs.readFileSync(file, 'utf8');
const starts = [0];
for (let i = 0; i < source.length; i++) if (source[i] === '\n') starts.push(i + 1);
// A line counts when it holds code: not blank, not a comment, not only closing brackets (V8 marks those after a return as not run).
const code = starts.map((s, i) => {
  const text = source.slice(s, i + 1 < starts.length ? starts[i + 1] - 1 : source.length);
  const t = text.trim();
  return t !== '' && !/^(\/\/|\/\*|\*)/.test(t) && !/^[)\]};,\s]*$/.test(t) ? s + text.length - text.trimStart().length : -1;
});
const covered = new Set();
const inFunctions = new Set();
let files = [];
try { files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')); } catch { /* no coverage written */ }
for (const f of files) {
  let report;
  try { report = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')); } catch { continue; }
  for (const script of report.result || []) {
    if (script.url !== target) continue;
    // The module's top level (the range over the whole file) runs when it loads, for every test: only lines inside
    // its functions count, as the Python driver leaves out what runs at import.
    const ranges = script.functions.filter((fn) => !(fn.ranges[0].startOffset === 0 && fn.ranges[0].endOffset >= source.length)).flatMap((fn) => fn.ranges);
    code.forEach((at, i) => {
      if (at < 0) return;
      // The innermost range holding the line's first character says whether it ran.
      let best;
      for (const r of ranges) if (r.startOffset <= at && at < r.endOffset && (!best || r.endOffset - r.startOffset < best.endOffset - best.startOffset)) best = r;
      if (!best) return;
      inFunctions.add(i + 1);
      if (best.count > 0) covered.add(i + 1);
    });
  }
}
const lines = [...covered].sort((a, b) => a - b);
const executable = inFunctions.size;
process.stdout.write('\n@@infill-coverage ' + JSON.stringify({ lines, executable }) + '\n');
process.exitCode = run.status === null ? 1 : run.status;
`;

/** The coverage run of a test file; `runsAs`: the JavaScript file a source file runs as. */
export function nodeCoverageRun(runsAs: (file: string) => string): TestLanguageSpec['coverageRun'] {
  return (moduleFile, testFile) => {
    const entry = '__infill_cover__.cjs';
    const config = JSON.stringify({ test: runsAs(testFile), cover: runsAs(moduleFile) });
    return { entry, files: { [entry]: `const CONFIG = ${config};\n${JS_DRIVER}` } };
  };
}
