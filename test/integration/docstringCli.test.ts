import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, tmpDir } from '../helpers/model';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'geometry.py');

function infill(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Out {
  docstring: string;
  language: string;
  style: string;
  insertAt: { line: number; character: number };
  replaces: null | { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** Applies --json output (1-based positions) to the text. */
function apply(text: string, out: Out): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.character - 1;
  const start = offset(out.replaces ? out.replaces.start : out.insertAt);
  const end = out.replaces ? offset(out.replaces.end) : start;
  return text.slice(0, start) + out.docstring + text.slice(end);
}

function assertBadInput(r: ReturnType<typeof infill>, pattern: RegExp) {
  assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^infill: /);
  assert.match(lines[0]!, pattern);
  assert.equal(r.stdout, '');
}

describe('infill docstring (the built CLI, the shipped model, a subprocess)', function () {
  this.timeout(180000);
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
  });

  it('Python: a closed Google docstring after the def line, every parameter named; the result parses', () => {
    const r = infill('docstring', `${EXAMPLE}:5`, '--json', '--max-tokens', '48');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Out;
    assert.deepEqual(Object.keys(out).sort(), ['docstring', 'insertAt', 'language', 'replaces', 'style'].sort());
    assert.equal(out.language, 'python');
    assert.equal(out.style, 'google');
    assert.deepEqual(out.insertAt, { line: 5, character: 1 }, 'the line after `def distance(...):`, 1-based');
    assert.equal(out.replaces, null);
    assert.match(out.docstring, /^ {4}"""[^\n]*\S/);
    assert.match(out.docstring, /\n {4}"""\n$/);
    assert.equal(out.docstring.split('"""').length, 3, 'opened and closed once');
    for (const p of ['x1', 'y1', 'x2', 'y2']) assert.match(out.docstring, new RegExp(`^ {8}${p}\\b.*:`, 'm'), p);
    const applied = apply(fs.readFileSync(EXAMPLE, 'utf8'), out);
    const check = spawnSync(
      'python3',
      [
        '-c',
        'import ast,sys; t=ast.parse(sys.stdin.read()); f=[n for n in t.body if getattr(n,"name","")=="distance"][0]; assert ast.get_docstring(f); print("ok")',
      ],
      { input: applied, encoding: 'utf8' },
    );
    if (!check.error) assert.equal(check.stdout.trim(), 'ok', check.stderr);
  });

  it('Python: a method (self is no parameter); text output is the docstring, with a note on stderr', () => {
    const r = infill('docstring', `${EXAMPLE}:14`, '--max-tokens', '32');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {8}"""/);
    assert.match(r.stdout, /"""\n$/);
    assert.doesNotMatch(r.stdout, /self/);
    assert.match(r.stderr, /function area: google goes before line 15/);
  });

  it('TypeScript: a closed JSDoc above the function, with @param for each parameter', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'area.ts');
    fs.writeFileSync(
      file,
      'import { log } from "./log";\n\nexport function area(width: number, height = 1): number {\n  log("area");\n  return width * height;\n}\n',
    );
    const r = infill('docstring', `${file}:4`, '--json', '--max-tokens', '48');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Out;
    assert.equal(out.language, 'typescript');
    assert.equal(out.style, 'jsdoc');
    assert.deepEqual(out.insertAt, { line: 3, character: 1 });
    const lines = out.docstring.trimEnd().split('\n');
    assert.equal(lines[0], '/**');
    assert.equal(lines[lines.length - 1], ' */');
    for (const l of lines.slice(1, -1)) assert.match(l, /^ \*( |$)/);
    assert.equal(out.docstring.split('*/').length, 2);
    assert.match(out.docstring, /@param width\b/);
    assert.match(out.docstring, /@param height\b/);
  });

  it('an existing docstring is reported in replaces', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'old.py');
    fs.writeFileSync(file, 'def f(a):\n    """Old."""\n    return a\n');
    const out = JSON.parse(infill('docstring', `${file}:1`, '--json', '--max-tokens', '16').stdout) as Out;
    assert.deepEqual(out.replaces, { start: { line: 2, character: 1 }, end: { line: 3, character: 1 } });
    assert.deepEqual(out.insertAt, { line: 2, character: 1 });
  });

  it('bad input: one line naming the problem, exit code 2, before any model loads', () => {
    assertBadInput(infill('docstring', `${EXAMPLE}:1`), /Line 1 of .* is not in a function, method or class/);
    assertBadInput(infill('docstring', `${EXAMPLE}:999`), /Line 999 is outside the file/);
    assertBadInput(infill('docstring', 'no/such/file.py:3'), /Cannot read no\/such\/file\.py/);
    assertBadInput(infill('docstring', EXAMPLE), /is not FILE:LINE/);
    assertBadInput(infill('docstring', path.join(REPO_ROOT, 'README.md:3')), /no doc comment convention/);
    assertBadInput(infill('docstring', `${EXAMPLE}:5`, '--style', 'fancy'), /--style fancy is not one of/);
    assertBadInput(infill('docstring', `${EXAMPLE}:5`, '--model', '/no/such/model'), /./);
  });
});
