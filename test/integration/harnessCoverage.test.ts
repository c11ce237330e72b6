// TestGen-LLM's last filter with REAL execution: after builds / passes / passes K runs, a test is kept only when it runs
// lines of the module that the tests kept before it do not, measured inside the sandbox (Python: the driver's tracing;
// JavaScript/TypeScript: V8's coverage from node --test). Fixed candidate sets, as a model would have written them;
// unittest-style tests (methods of a TestCase class) run and are kept like functions; a chat API gets messages.
import { strict as assert } from 'node:assert';
import { generateTests, type GenerateTestsResult } from '../../src/core/harness';
import { fixedSamples } from '../helpers/fixedSamples';
import { runInSandbox, sandboxPassed } from '../../src/core/sandbox/sandbox';

const SIGN_PY =
  'def add(a, b):\n    return a + b\n\n\ndef sign(x):\n    if x > 0:\n        return 1\n    if x < 0:\n        return -1\n    return 0\n';

const statusOf = (r: GenerateTestsResult) => Object.fromEntries(r.candidates.map((c) => [c.name, c.status]));
const why = (r: GenerateTestsResult) =>
  JSON.stringify(r.candidates.map((c) => [c.name, c.status, c.coverage, c.detail?.slice(-300)]));

describe('harness: the coverage filter, measured in the sandbox', function () {
  this.timeout(300000);

  it('Python: a test of a branch already covered is dropped; a new branch is kept; unittest methods run and are kept', async () => {
    const sample = [
      '_positive():\n    assert sign(5) == 1\n',
      'def test_positive_again():\n    assert sign(9) == 1\n',
      // Runs the negative branch but asserts nothing: dropped, and its lines do not count as covered.
      'def test_negative_call_only():\n    sign(-3)\n',
      'def test_negative():\n    assert sign(-2) == -1\n',
      'import unittest\n\nclass TestSign(unittest.TestCase):\n    def setUp(self):\n        self.zero = 0\n\n    def test_zero(self):\n        self.assertEqual(sign(self.zero), 0)\n\n    def test_zero_again(self):\n        self.assertEqual(sign(0), 0)\n',
    ].join('\n\n');
    const result = await generateTests(
      { modulePath: '/project/signs.py', text: SIGN_PY, line: 6 },
      { backend: fixedSamples([sample]) },
      { samples: 1, runs: 2, temperature: 0.8, maxNewTokens: 64, seed: 1 },
    );
    assert.deepEqual(
      statusOf(result),
      {
        test_sign_positive: 'kept',
        test_positive_again: 'no-new-coverage',
        test_negative_call_only: 'no-assertion',
        test_negative: 'kept',
        'TestSign.test_zero': 'kept',
        'TestSign.test_zero_again': 'no-new-coverage',
      },
      why(result),
    );
    const byName = Object.fromEntries(result.candidates.map((c) => [c.name, c]));
    assert.deepEqual(byName['test_sign_positive']!.coverage, { lines: 2, newLines: 2 }, 'if x > 0, return 1');
    assert.deepEqual(byName['test_negative']!.coverage, { lines: 3, newLines: 2 }, 'if x < 0 and return -1 are new');
    assert.deepEqual(byName['TestSign.test_zero']!.coverage, { lines: 3, newLines: 1 }, 'return 0 is new');
    assert.deepEqual([result.reliable, result.addsCoverage, result.kept], [6, 4, 3]);
    assert.deepEqual(
      result.coverage,
      { measured: true, covered: 5, executable: 6 },
      'the five lines of sign; return a + b of add is not run',
    );
    assert.ok(
      ['pytest', 'unittest'].includes(result.sandbox.runner),
      `the report names the test runner, not the coverage driver's (${result.sandbox.runner})`,
    );

    // The test file: the functions, then the class with its setUp and the kept method only; it passes again, whole.
    assert.equal(
      result.testFileText,
      [
        'from signs import sign',
        'import unittest',
        '',
        '',
        'def test_sign_positive():',
        '    assert sign(5) == 1',
        '',
        '',
        'def test_negative():',
        '    assert sign(-2) == -1',
        '',
        '',
        'class TestSign(unittest.TestCase):',
        '    def setUp(self):',
        '        self.zero = 0',
        '',
        '    def test_zero(self):',
        '        self.assertEqual(sign(self.zero), 0)',
        '',
      ].join('\n'),
    );
    const again = await runInSandbox({
      language: 'python',
      files: { 'signs.py': SIGN_PY, 'test_signs.py': result.testFileText },
      entry: 'test_signs.py',
      mode: 'tests',
    });
    assert.ok(sandboxPassed(again), again.stdoutTail + again.stderrTail);
    assert.equal(again.tests?.passed, 3);
  });

  it('TypeScript: V8 coverage from node --test; the second test of the same branch is dropped, a new branch kept', async () => {
    const ts =
      'export function sign(x: number): number {\n  if (x > 0) {\n    return 1;\n  }\n  if (x < 0) {\n    return -1;\n  }\n  return 0;\n}\n';
    const sample =
      "test('sign positive', () => {\n  assert.equal(sign(3), 1);\n});\n\ntest('positive again', () => {\n  assert.equal(sign(7), 1);\n});\n\n" +
      "test('negative', () => {\n  assert.equal(sign(-1), -1);\n});\n";
    const result = await generateTests(
      { modulePath: 'sign.ts', text: ts, line: 1 },
      { backend: fixedSamples([sample.replace(/^test\('sign/, '')]) },
      { samples: 1, runs: 2, temperature: 0.8, maxNewTokens: 64, seed: 1 },
    );
    assert.deepEqual(
      statusOf(result),
      { 'sign positive': 'kept', 'positive again': 'no-new-coverage', negative: 'kept' },
      why(result),
    );
    assert.ok(
      result.coverage.measured && result.coverage.covered > 0 && result.coverage.covered < result.coverage.executable,
      JSON.stringify(result.coverage),
    );
    assert.equal(result.sandbox.runner, 'node --test');
    const again = await runInSandbox({
      language: 'typescript',
      files: { 'sign.ts': ts, 'sign.test.ts': result.testFileText! },
      entry: 'sign.test.ts',
      mode: 'tests',
    });
    assert.ok(sandboxPassed(again), again.stdoutTail + again.stderrTail);
    assert.equal(again.tests?.passed, 2);
  });

  it('JavaScript (an ES module) too; with the filter off every reliable test is kept', async () => {
    const js =
      'export function half(n) {\n  if (n % 2 !== 0) {\n    throw new RangeError("odd");\n  }\n  return n / 2;\n}\n';
    const sample =
      " halves', () => {\n  assert.equal(half(4), 2);\n});\n\ntest('halves again', () => {\n  assert.equal(half(8), 4);\n});\n\n" +
      "test('odd throws', () => {\n  assert.throws(() => half(3), RangeError);\n});\n";
    const on = await generateTests(
      { modulePath: 'half.js', text: js, line: 1 },
      { backend: fixedSamples([sample]) },
      { samples: 1, runs: 1, temperature: 0.8, maxNewTokens: 64, seed: 1 },
    );
    assert.deepEqual(
      statusOf(on),
      { 'half halves': 'kept', 'halves again': 'no-new-coverage', 'odd throws': 'kept' },
      why(on),
    );
    const off = await generateTests(
      { modulePath: 'half.js', text: js, line: 1 },
      { backend: fixedSamples([sample]) },
      { samples: 1, runs: 1, temperature: 0.8, maxNewTokens: 64, seed: 1, coverage: false },
    );
    assert.deepEqual([off.kept, off.coverage.measured, off.coverage.note], [3, false, 'the coverage filter is off']);
  });

  it('a chat API (a remote server) gets the instruction as messages and its answers are run like any sample', async () => {
    const answers = [
      'Here are the tests.\n[TESTS]\ndef test_pos():\n    assert sign(1) == 1\n\ndef test_bad():\n    assert sign(1) == 0\n',
      '```python\nfrom signs import sign\n\ndef test_neg():\n    assert sign(-1) == -1\n```\n',
    ];
    const backend = fixedSamples(answers, 'server');
    const result = await generateTests(
      { modulePath: 'signs.py', text: SIGN_PY, line: 6 },
      { backend },
      { samples: 2, runs: 1, temperature: 0.8, maxNewTokens: 64, seed: 7 },
    );
    const seen = backend.calls.map((c) => ({
      messages: c.messages ?? [],
      temperature: c.params.temperature,
      seed: c.params.seed,
      stop: c.params.stopStrings,
    }));
    assert.equal(result.promptFormat, 'chat-messages');
    assert.equal(seen.length, 2);
    assert.ok(
      backend.calls.every((c) => c.messages),
      'every sample is asked of the chat API, none by plain generation',
    );
    assert.match(
      seen[0]!.messages[0]!.content,
      /^Your task is to write 5 unit tests for the Python function `sign` below\..*between \[TESTS\] and \[\/TESTS\] tags/s,
    );
    assert.deepEqual(
      seen.map((s) => [s.temperature, s.seed, s.stop]),
      [
        [0.8, 7, ['[/TESTS]']],
        [0.8, 8, ['[/TESTS]']],
      ],
    );
    assert.deepEqual(statusOf(result), { test_pos: 'kept', test_bad: 'fails', test_neg: 'kept' }, why(result));
  });
});
