// Infill's Python test driver in the real sandbox: without pytest it runs TestCase classes, Test* classes and plain
// test_* functions with unittest's runner (so a plain-assert test that fails makes the run fail, instead of only being
// defined), and it measures the lines of a module the tests run. The machine's own pytest is hidden by a venv without it.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runInSandbox, sandboxPassed, type SandboxResult } from '../../src/core/sandbox';
import { parseCoverageLine } from '../../src/core/harness/coverage';
import { pythonDriver } from '../../src/core/testLanguages/python/driver';
import { countTests } from '../../src/core/sandbox/testCounts';
import { REPO_ROOT } from '../helpers/model';

const MODULE = 'def sign(x):\n    if x > 0:\n        return 1\n    return 0\n';
const TESTS = [
  'import unittest',
  'from signs import sign',
  '',
  'def test_plain():',
  '    assert sign(2) == 1',
  '',
  'def test_plain_wrong():',
  '    assert sign(2) == 0',
  '',
  'def test_fixture(tmp_path):',
  '    assert tmp_path',
  '',
  'class TestCaseStyle(unittest.TestCase):',
  '    def test_zero(self):',
  '        self.assertEqual(sign(0), 0)',
  '',
  'class TestPlainClass:',
  '    def test_one(self):',
  '        assert sign(1) == 1',
  '',
].join('\n');

const why = (r: SandboxResult) =>
  `exit ${String(r.exitCode)}\nstdout: ${r.stdoutTail.slice(-800)}\nstderr: ${r.stderrTail.slice(-1500)}`;

describe('the Python test driver (unittest without pytest, line coverage)', function () {
  this.timeout(240000);

  it("unittest's runner over functions, TestCase and Test* classes: counts, and a failing plain test fails the run", async () => {
    const r = await runInSandbox({
      language: 'python',
      files: {
        'signs.py': MODULE,
        'test_signs.py': TESTS,
        'drive.py': pythonDriver({ test: 'test_signs.py', runner: 'unittest' }),
      },
      entry: 'drive.py',
      mode: 'script',
    });
    assert.equal(r.exitCode, 1, why(r));
    // test_fixture needs pytest's tmp_path: without pytest it is an error, not a pass.
    assert.deepEqual(countTests('unittest', r.stdoutTail, r.stderrTail), { passed: 3, failed: 1, errors: 1 }, why(r));
    assert.match(r.stderrTail, /test_plain_wrong/);
    assert.match(r.stderrTail, /TestPlainClass\.test_one \.\.\. ok/);
  });

  it('coverage: the lines of the module the tests run, without the lines run at import', async () => {
    const only = 'from signs import sign\n\ndef test_zero():\n    assert sign(0) == 0\n';
    for (const runner of ['auto', 'unittest'] as const) {
      const r = await runInSandbox({
        language: 'python',
        files: {
          'signs.py': MODULE,
          'test_signs.py': only,
          'cover.py': pythonDriver({ test: 'test_signs.py', cover: 'signs.py', runner }),
        },
        entry: 'cover.py',
        mode: 'script',
      });
      assert.ok(sandboxPassed(r), why(r));
      assert.deepEqual(
        parseCoverageLine(r.stdoutTail),
        { lines: [2, 4], executable: 3 },
        `${runner}: if x > 0 and return 0, of the three lines of the body`,
      );
    }
  });

  it("on a machine without pytest the sandbox's tests mode runs plain test functions (a venv without pytest first on PATH)", function () {
    // Under the home folder: bubblewrap hides /tmp and brings runtimes under home back read-only.
    const venv = fs.mkdtempSync(path.join(os.homedir(), '.infill-test-venv-'));
    // mkdtemp makes it 0700; as root the sandbox runs the program as nobody, who must reach the interpreter.
    fs.chmodSync(venv, 0o755);
    try {
      const made = spawnSync('python3', ['-m', 'venv', '--without-pip', venv], { encoding: 'utf8' });
      if (made.status !== 0) throw new Error(`python3 -m venv failed: ${made.stderr}`);
      const script = path.join(venv, 'run.ts');
      fs.writeFileSync(
        script,
        [
          `import { runInSandbox } from ${JSON.stringify(path.join(REPO_ROOT, 'src', 'core', 'sandbox'))};`,
          `const files = { 'signs.py': ${JSON.stringify(MODULE)}, 'test_signs.py': ${JSON.stringify(TESTS.replace(/def test_fixture[\s\S]*?\n\n/, ''))} };`,
          'void (async () => {',
          "  const bad = await runInSandbox({ language: 'python', files, entry: 'test_signs.py', mode: 'tests' });",
          "  const good = await runInSandbox({ language: 'python', files: { ...files, 'test_signs.py': files['test_signs.py'].replace('sign(2) == 0', 'sign(-2) == 0') }, entry: 'test_signs.py', mode: 'tests' });",
          '  console.log(JSON.stringify({ bad: [bad.runner, bad.exitCode, bad.tests], good: [good.runner, good.exitCode, good.tests] }));',
          '})();',
        ].join('\n'),
      );
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${path.join(venv, 'bin')}${path.delimiter}${process.env.PATH ?? ''}` },
        timeout: 180000,
      });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
      assert.deepEqual(out, {
        bad: ['unittest', 1, { passed: 3, failed: 1, errors: 0 }],
        good: ['unittest', 0, { passed: 4, failed: 0, errors: 0 }],
      });
    } finally {
      fs.rmSync(venv, { recursive: true, force: true });
    }
  });
});
