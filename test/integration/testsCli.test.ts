// infill tests and infill selfinstruct: the built CLI in a subprocess, the shipped model, the real sandbox.
// The shipped model is tiny: its tests rarely pass. What is checked is the machinery: counts that add up, only kept
// tests written (each passing again when re-run), never a file overwritten, resumable datasets.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { runInSandbox, sandboxPassed } from '../../src/core/sandbox/sandbox';
import { REPO_ROOT, tmpDir } from '../helpers/model';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const HUMAN_EVAL = path.join(REPO_ROOT, 'data', 'human-eval', 'HumanEval.jsonl.gz');
const CALC =
  'def add(a, b):\n    """Return the sum of a and b."""\n    return a + b\n\n\ndef is_even(n):\n    return n % 2 == 0\n';

function infill(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 300000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertBadInput(r: ReturnType<typeof infill>, pattern: RegExp) {
  assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^infill: /);
  assert.match(lines[0]!, pattern);
}

interface TestsReport {
  generated: number;
  built: number;
  passed: number;
  reliable: number;
  addsCoverage: number;
  kept: number;
  testFile: string;
  written: boolean;
  tests: string[];
  coverage: { measured: boolean; covered: number; executable: number };
  candidates: { name: string; status: string; code: string }[];
  sandbox: { runner: string };
}

describe('infill tests (the built CLI, the shipped model, the sandbox)', function () {
  this.timeout(400000);
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
  });

  it('--samples 4 --json: counts add up; only kept tests are written, and each passes again in the sandbox', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'calc.py');
    fs.writeFileSync(file, CALC);
    const r = infill('tests', `${file}:3`, '--samples', '4', '--runs', '2', '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as TestsReport;
    for (const k of [
      'generated',
      'built',
      'passed',
      'reliable',
      'addsCoverage',
      'kept',
      'testFile',
      'tests',
      'coverage',
    ] as const)
      assert.ok(k in out, k);
    assert.ok(out.generated >= 4, 'each sample starts a test function, so each gives at least one candidate');
    assert.ok(
      out.kept <= out.addsCoverage &&
        out.addsCoverage <= out.reliable &&
        out.reliable <= out.passed &&
        out.passed <= out.built &&
        out.built <= out.generated,
      r.stdout,
    );
    // Coverage is measured for reliable tests; what the kept ones run is at most the module's lines.
    assert.ok(
      out.coverage.covered <= out.coverage.executable && (out.kept === 0 || out.coverage.covered > 0),
      JSON.stringify(out.coverage),
    );
    assert.equal(out.candidates.length, out.generated);
    assert.equal(out.candidates.filter((c) => c.status === 'kept').length, out.kept);
    assert.equal(out.tests.length, out.kept);
    assert.equal(out.testFile, path.join(dir, 'test_calc.py'));
    assert.equal(fs.readFileSync(file, 'utf8'), CALC, 'the module is untouched');
    if (out.kept === 0) {
      assert.equal(out.written, false);
      assert.ok(!fs.existsSync(out.testFile), 'nothing written when nothing passed');
    } else {
      assert.equal(out.written, true);
      const written = fs.readFileSync(out.testFile, 'utf8');
      for (const t of out.tests) assert.ok(written.includes(t));
      for (const c of out.candidates.filter((x) => x.status !== 'kept'))
        assert.ok(!written.includes(c.code), `dropped ${c.name} is not written`);
      const again = await runInSandbox({
        language: 'python',
        files: { 'calc.py': CALC, 'test_calc.py': written },
        entry: 'test_calc.py',
        mode: 'tests',
      });
      assert.ok(sandboxPassed(again), again.stdoutTail + again.stderrTail);
      assert.ok((again.tests?.passed ?? 0) >= out.kept, 'every kept test ran and passed again');
    }
    assert.ok(
      fs.readdirSync(dir).every((f) => !f.includes('infill-tmp')),
      'no temporary file left',
    );
  });

  it('never overwrites: an existing test file is refused before the model loads; bad places are one-line errors', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'calc.py');
    fs.writeFileSync(file, CALC);
    fs.writeFileSync(path.join(dir, 'test_calc.py'), '# mine\n');
    assertBadInput(
      infill('tests', `${file}:3`),
      /test_calc\.py already exists\. Give --append to add the kept tests to it, --force to replace it, or --out another file/,
    );
    assert.equal(fs.readFileSync(path.join(dir, 'test_calc.py'), 'utf8'), '# mine\n');
    assertBadInput(infill('tests', `${file}:3`, '--force', '--append'), /exclude each other/);
    assertBadInput(infill('tests', `${file}:99`), /Line 99 is outside the file/);
    assertBadInput(infill('tests', `${file}:4`), /Line 4 is not in a function/);
    assertBadInput(infill('tests', file), /is not FILE:LINE/);
    assertBadInput(infill('tests', `${path.join(dir, 'nope.py')}:1`), /Cannot read/);
    fs.writeFileSync(path.join(dir, 'x.go'), 'package x\n');
    assertBadInput(infill('tests', `${path.join(dir, 'x.go')}:1`), /does not write tests for x\.go/);
    assertBadInput(infill('tests', `${file}:3`, '--samples', '0'), /--samples 0 is not a valid value/);
  });
});

describe('infill selfinstruct (the built CLI, the shipped model, the sandbox)', function () {
  this.timeout(400000);

  it('resumable: --limit 2 writes 2 rows; a second run skips them and adds the rest; a cut last line is repaired', () => {
    const dir = tmpDir();
    const questions = path.join(dir, 'q.jsonl');
    const lines = zlib.gunzipSync(fs.readFileSync(HUMAN_EVAL)).toString('utf8').split('\n').slice(0, 3);
    fs.writeFileSync(questions, lines.join('\n') + '\n');
    const out = path.join(dir, 'ds.jsonl');
    const first = infill(
      'selfinstruct',
      '--questions',
      questions,
      '--out',
      out,
      '--limit',
      '2',
      '--tests',
      '2',
      '--solutions',
      '2',
      '--json',
    );
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), {
      questions: 3,
      skipped: 0,
      written: 2,
      solved: (JSON.parse(first.stdout) as { solved: number }).solved,
      out,
    });
    const rows1 = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      rows1.map((r) => r['id']),
      ['HumanEval/0', 'HumanEval/1'],
    );
    for (const row of rows1) {
      assert.deepEqual(Object.keys(row), ['id', 'question', 'tests', 'solution', 'attempts']);
      assert.ok(Array.isArray(row['tests']) && (row['tests'] as string[]).length <= 2);
      assert.ok(row['solution'] === null || typeof row['solution'] === 'string');
      assert.ok(typeof row['attempts'] === 'number' && row['attempts'] <= 2);
      assert.equal(row['question'], (JSON.parse(lines[rows1.indexOf(row)]!) as { prompt: string }).prompt);
    }
    // A crash mid-write leaves half a line: the next run drops it and goes on.
    fs.appendFileSync(out, '{"id": "HumanEval/2", "quest');
    const second = infill(
      'selfinstruct',
      '--questions',
      questions,
      '--out',
      out,
      '--tests',
      '2',
      '--solutions',
      '2',
      '--json',
    );
    assert.equal(second.code, 0, second.stderr);
    const s = JSON.parse(second.stdout) as { skipped: number; written: number };
    assert.deepEqual([s.skipped, s.written], [2, 1]);
    const rows2 = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string });
    assert.deepEqual(
      rows2.map((r) => r.id),
      ['HumanEval/0', 'HumanEval/1', 'HumanEval/2'],
      'no duplicates, in order',
    );
    const third = infill('selfinstruct', '--questions', questions, '--out', out);
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stderr, /nothing to do: all 3 questions/);
    assert.equal(fs.readFileSync(out, 'utf8').trim().split('\n').length, 3);
  });

  it("without --questions: HumanEval's 164 problems from data/, whatever the working directory", () => {
    const out = path.join(tmpDir(), 'ds.jsonl');
    const r = spawnSync(
      process.execPath,
      [
        CLI,
        'selfinstruct',
        '--out',
        out,
        '--limit',
        '1',
        '--tests',
        '1',
        '--solutions',
        '1',
        '--max-tokens',
        '48',
        '--json',
      ],
      { encoding: 'utf8', timeout: 300000, cwd: os.tmpdir() },
    );
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { questions: number; written: number };
    assert.deepEqual([summary.questions, summary.written], [164, 1]);
    assert.equal((JSON.parse(fs.readFileSync(out, 'utf8').trim()) as { id: string }).id, 'HumanEval/0');
  });

  it('bad question files are one-line errors', () => {
    const dir = tmpDir();
    const q = path.join(dir, 'q.jsonl');
    fs.writeFileSync(q, '{"id": 1}\n');
    assertBadInput(
      infill('selfinstruct', '--questions', q, '--out', path.join(dir, 'o.jsonl')),
      /Line 1 of .* has no id and question/,
    );
    assertBadInput(infill('selfinstruct', '--questions', q), /selfinstruct needs --out DATASET\.jsonl/);
    assertBadInput(
      infill('selfinstruct', '--questions', path.join(dir, 'none.jsonl'), '--out', path.join(dir, 'o.jsonl')),
      /Cannot read/,
    );
  });
});
