import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/model';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function infill(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120000, cwd: REPO_ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertOneLineError(r: ReturnType<typeof infill>, pattern: RegExp) {
  assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got: ${r.stderr}`);
  assert.match(lines[0]!, /^infill: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(r.stdout, '');
}

describe('infill sandbox run and infill eval fim (the built CLI)', function () {
  this.timeout(120000);
  let dir: string;
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infill-sbxcli-'));
    fs.writeFileSync(path.join(dir, 'ok.py'), 'print("hello from the sandbox")\n');
    fs.writeFileSync(path.join(dir, 'fail.js'), 'console.error("nope"); process.exit(3);\n');
    fs.writeFileSync(path.join(dir, 'loop.py'), 'while True:\n    pass\n');
    fs.writeFileSync(
      path.join(dir, 'math.test.ts'),
      'import test from "node:test";\nimport assert from "node:assert";\ntest("sum", () => { const n: number = 1 + 1; assert.equal(n, 2); });\n',
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sandbox run --json prints the result and exits 0 when the program passed', () => {
    const r = infill('sandbox', 'run', '--lang', 'python', path.join(dir, 'ok.py'), '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(out['exitCode'], 0);
    assert.equal(out['stdoutTail'], 'hello from the sandbox\n');
    assert.equal(out['runner'], 'python');
    for (const key of [
      'timedOut',
      'killedByLimit',
      'stderrTail',
      'durationMs',
      'networkIsolated',
      'isolationNote',
      'signal',
    ])
      assert.ok(key in out, key);
  });

  it('sandbox run exits 1 for a failing or timed-out program, with a short summary', () => {
    const fail = infill('sandbox', 'run', '--lang', 'javascript', path.join(dir, 'fail.js'));
    assert.equal(fail.code, 1);
    assert.match(fail.stderr, /nope/);
    assert.match(fail.stderr, /# failed \(exit code 3/);
    const loop = infill(
      'sandbox',
      'run',
      '--lang',
      'python',
      path.join(dir, 'loop.py'),
      '--timeout-ms',
      '500',
      '--json',
    );
    assert.equal(loop.code, 1);
    assert.equal((JSON.parse(loop.stdout) as { timedOut: boolean }).timedOut, true);
  });

  it('sandbox run --tests runs TypeScript tests with node --test', () => {
    const r = infill('sandbox', 'run', '--lang', 'typescript', '--tests', path.join(dir, 'math.test.ts'), '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout) as { runner: string; tests: unknown };
    assert.equal(out.runner, 'node --test');
    assert.deepEqual(out.tests, { passed: 1, failed: 0, errors: 0 });
  });

  it('bad input: exit 2 and one line', () => {
    assertOneLineError(
      infill('sandbox', 'run', '--lang', 'ruby', path.join(dir, 'ok.py')),
      /--lang ruby is not one of python, javascript, typescript/,
    );
    assertOneLineError(infill('sandbox', 'run', path.join(dir, 'ok.py')), /needs --lang/);
    assertOneLineError(
      infill('sandbox', 'run', '--lang', 'python', path.join(dir, 'missing.py')),
      /Cannot read .*missing\.py/,
    );
    assertOneLineError(infill('sandbox', 'go', '--lang', 'python', path.join(dir, 'ok.py')), /sandbox takes: run/);
    assertOneLineError(
      infill('sandbox', 'run', '--lang', 'python', path.join(dir, 'ok.py'), '--timeout-ms', 'soon'),
      /--timeout-ms soon is not a valid value/,
    );
    assertOneLineError(
      infill('eval', 'fim', '--dataset', path.join(dir, 'missing.jsonl.gz')),
      /Cannot read the dataset/,
    );
    assertOneLineError(infill('eval', 'fim', '--dataset', path.join(dir, 'ok.py')), /Line 1 of .* is not JSON/);
    assertOneLineError(
      infill('eval', 'humaneval', '--dataset', path.join(dir, 'ok.py')),
      /Unknown evaluation "humaneval"/,
    );
    assertOneLineError(
      infill('eval', 'fim', '--dataset', path.join(dir, 'ok.py'), '--limit', '0'),
      /--limit 0 is not a valid value/,
    );
  });
});
