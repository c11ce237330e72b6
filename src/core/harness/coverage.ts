import { parseCoverageLine, pythonDriver } from '../sandbox/pythonDriver';
import type { TestLanguage } from './types';

/**
 * Line coverage of the module under test, measured inside the sandbox (TestGen-LLM's last filter: a test is kept only
 * when it runs lines the tests kept before it did not). Python: Infill's test driver with the standard library's
 * `trace`. JavaScript/TypeScript: `node --test` with NODE_V8_COVERAGE (V8's own block coverage), read back by a small
 * driver that turns byte ranges into lines. Either prints one last line `@@infill-coverage {...}`.
 */
export interface LineCoverage {
  /** 1-based lines of the module the tests ran (for TypeScript: of its transpiled JavaScript). */
  lines: number[];
  /** Lines of the module that can run (code, not blank lines, comments or lone closing brackets). */
  executable: number;
}

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

/** The files and entry of a sandbox run (mode `script`) that runs `testFile` and measures the lines of `moduleFile` it runs. */
export function coverageRun(language: TestLanguage, moduleFile: string, testFile: string): { files: Record<string, string>; entry: string } {
  if (language === 'python') {
    const entry = '__infill_cover__.py';
    return { entry, files: { [entry]: pythonDriver({ test: testFile, cover: moduleFile }) } };
  }
  // TypeScript runs as the JavaScript the sandbox transpiles it to (x.ts -> x.js beside it).
  const js = (f: string) => (language === 'typescript' ? f.replace(/\.(c|m)?tsx?$/, '.js') : f);
  const entry = '__infill_cover__.cjs';
  const config = JSON.stringify({ test: js(testFile), cover: js(moduleFile) });
  return { entry, files: { [entry]: `const CONFIG = ${config};\n${JS_DRIVER}` } };
}

/** The coverage a run printed, or undefined when it printed none (it crashed before, or the runtime cannot measure). */
export function parseCoverage(stdout: string): LineCoverage | undefined {
  return parseCoverageLine(stdout);
}
