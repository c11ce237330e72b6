// The test-generation harness with REAL execution in the sandbox, on fixed candidate sets (no model: the samples are
// given, as a model would have written them). What is checked is the filters: builds, passes, passes K runs in a row,
// no duplicates, adds line coverage (measured in the sandbox), asserts something.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InfillError } from '../../src/core/errors';
import { generateTests, selfInstructOne, siblingSources, type CandidateStatus } from '../../src/core/harness';
import { fixedSamples } from '../helpers/fixedSamples';
import { runInSandbox, sandboxPassed, type SandboxRequest } from '../../src/core/sandbox/sandbox';
import { tmpDir } from '../helpers/model';

const CALC_PY = 'def add(a, b):\n    return a + b\n\n\ndef unused():\n    pass\n';

describe('harness: generated tests run against the real code in the sandbox', function () {
  this.timeout(240000);

  it('keeps the right tests; drops wrong, unbuildable, flaky, duplicate, coverage-free and endless ones', async () => {
    // The base-model prompt ends with "def test_add": the first sample continues it.
    const samples = [
      '_small():\n    assert add(2, 3) == 5\n\n\ndef test_wrong():\n    assert add(2, 2) == 5\n',
      '_import_missing():\n    assert nope() == 1\n\n\nfrom calc import nope\n\ndef test_lucky():\n    import random\n    assert random.random() < 0.3\n',
      '_again():\n    # the same test as the first, reformatted\n    assert add(2,3)==5\n\ndef test_nothing():\n    add(1, 2)\n\ndef test_strings():\n    assert add("a", "b") == "ab"\n\ndef test_forever():\n    while True:\n        pass\n',
    ];
    const backend = fixedSamples(samples);
    const runs: SandboxRequest[] = [];
    const run = (req: SandboxRequest) => {
      runs.push(req);
      return runInSandbox(req);
    };
    const result = await generateTests(
      { modulePath: '/project/calc.py', text: CALC_PY, line: 1 },
      { backend, run },
      { samples: 3, runs: 6, temperature: 0.8, maxNewTokens: 64, seed: 1, timeoutMs: 8000 },
    );

    assert.equal(backend.prompts.length, 3, 'one generation per sample');
    const status = Object.fromEntries(result.candidates.map((c) => [c.name, c.status])) as Record<
      string,
      CandidateStatus
    >;
    const why = JSON.stringify(result.candidates.map((c) => [c.name, c.status, c.runsPassed, c.detail?.slice(-300)]));
    assert.deepEqual(status['test_add_small'], 'kept', why);
    assert.deepEqual(status['test_wrong'], 'fails');
    assert.deepEqual(status['test_add_import_missing'], 'does-not-build');
    assert.ok(
      status['test_lucky'] === 'flaky' || status['test_lucky'] === 'fails',
      `a test using randomness is dropped (${status['test_lucky']})`,
    );
    assert.deepEqual(status['test_add_again'], 'duplicate');
    // add has one line: once test_add_small runs it, these run nothing new (TestGen-LLM's coverage filter).
    assert.deepEqual(status['test_nothing'], 'no-new-coverage', why);
    assert.deepEqual(status['test_strings'], 'no-new-coverage', why);
    assert.deepEqual(status['test_forever'], 'fails');
    assert.match(result.candidates.find((c) => c.name === 'test_forever')!.detail!, /^timed out/);
    assert.match(result.candidates.find((c) => c.name === 'test_wrong')!.detail!, /assert/i);
    const lucky = result.candidates.find((c) => c.name === 'test_lucky')!;
    assert.ok(lucky.runsPassed < 6, 'never 6 lucky runs in a row (0.3^6: about 1 in 1,400)');

    assert.deepEqual([result.generated, result.addsCoverage, result.kept], [8, 1, 1]);
    assert.ok(
      result.kept <= result.addsCoverage &&
        result.addsCoverage <= result.reliable &&
        result.reliable <= result.passed &&
        result.passed <= result.built &&
        result.built <= result.generated,
      JSON.stringify(result),
    );
    assert.deepEqual(
      result.coverage,
      { measured: true, covered: 1, executable: 2 },
      'return a + b of add, and pass of unused',
    );
    // The duplicate ran nowhere: it shares its twin's results; a reliable test ran 6 times after its build check.
    const keptRuns = runs.filter((r) => r.mode === 'tests' && /test_add_small/.test(Object.values(r.files).join('')));
    assert.equal(keptRuns.length, 6);
    assert.ok(!runs.some((r) => /test_add_again/.test(Object.values(r.files).join(''))));

    assert.equal(result.testFile, '/project/test_calc.py');
    assert.deepEqual(result.tests, ['def test_add_small():\n    assert add(2, 3) == 5']);
    assert.equal(result.testFileText, 'from calc import add\n\n\ndef test_add_small():\n    assert add(2, 3) == 5\n');
    // The written file passes again, whole, in the sandbox.
    const again = await runInSandbox({
      language: 'python',
      files: { 'calc.py': CALC_PY, 'test_calc.py': result.testFileText },
      entry: 'test_calc.py',
      mode: 'tests',
    });
    assert.ok(sandboxPassed(again), again.stdoutTail + again.stderrTail);
    assert.equal(again.tests?.passed, 1);
  });

  it('nothing passes: no test file text, counts all zero past generated', async () => {
    const result = await generateTests(
      { modulePath: 'calc.py', text: CALC_PY, line: 0 },
      { backend: fixedSamples(['(:\n    nonsense here\n']) },
      { samples: 1, runs: 3, temperature: 0.8, maxNewTokens: 64, seed: 1 },
    );
    assert.equal(result.generated, 1);
    assert.deepEqual([result.built, result.passed, result.reliable, result.kept], [0, 0, 0, 0]);
    assert.equal(result.testFileText, undefined);
    assert.deepEqual(result.tests, []);
  });

  it('TypeScript and CommonJS JavaScript modules: node:test tests run against the real code', async () => {
    const ts = 'export function area(w: number, h: number): number {\n  return w * h;\n}\n';
    const tsResult = await generateTests(
      { modulePath: 'geo.ts', text: ts, line: 1 },
      {
        backend: fixedSamples([
          " squares', () => {\n  assert.equal(area(2, 2), 4);\n});\n\ntest('wrong', () => {\n  assert.equal(area(2, 3), 5);\n});\n\ntest('broken', () => {\n  assert.equal(area(2, 3) 6);\n});\n",
        ]),
      },
      { samples: 1, runs: 2, temperature: 0.8, maxNewTokens: 64, seed: 1 },
    );
    assert.deepEqual(
      tsResult.candidates.map((c) => [c.name, c.status]),
      [
        ['area squares', 'kept'],
        ['wrong', 'fails'],
        ['broken', 'does-not-build'],
      ],
    );
    assert.equal(tsResult.testFile, 'geo.test.ts');
    assert.equal(
      tsResult.testFileText,
      "import { area } from './geo';\nimport { test } from 'node:test';\nimport assert from 'node:assert/strict';\n\ntest('area squares', () => {\n  assert.equal(area(2, 2), 4);\n});\n",
    );

    const js = 'function double(x) {\n  return 2 * x;\n}\nmodule.exports = { double };\n';
    const jsResult = await generateTests(
      { modulePath: 'lib.js', text: js, line: 1 },
      {
        backend: fixedSamples([" doubles', () => {\n  assert.equal(double(4), 8);\n});\n"]),
      },
      { samples: 1, runs: 2, temperature: 0.8, maxNewTokens: 64, seed: 1 },
    );
    assert.equal(jsResult.kept, 1, JSON.stringify(jsResult.candidates));
    assert.match(jsResult.testFileText!, /^const \{ double \} = require\('\.\/lib\.js'\);/);
  });

  it("a module that imports a neighbour: the folder's other sources go into the sandbox (test files and other languages do not)", async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'helpers.py'), 'def twice(x):\n    return 2 * x\n');
    fs.writeFileSync(path.join(dir, 'test_old.py'), 'raise SystemExit(1)\n');
    fs.writeFileSync(path.join(dir, 'notes.ts'), 'export {};\n');
    const text = 'from helpers import twice\n\n\ndef quad(x):\n    return twice(twice(x))\n';
    fs.writeFileSync(path.join(dir, 'quad.py'), text);
    const siblings = siblingSources(path.join(dir, 'quad.py'), 'python');
    assert.deepEqual(Object.keys(siblings), ['helpers.py']);
    const result = await generateTests(
      { modulePath: path.join(dir, 'quad.py'), text, line: 4, siblings },
      { backend: fixedSamples(['_three():\n    assert quad(3) == 12\n']) },
      { samples: 1, runs: 1, temperature: 0.8, maxNewTokens: 64, seed: 1 },
    );
    assert.equal(result.kept, 1, JSON.stringify(result.candidates));
  });

  it('a function a test cannot import is refused before anything runs; cancelling stops with a clear error', async () => {
    await assert.rejects(
      generateTests(
        { modulePath: 'm.ts', text: 'function hidden() {\n  return 1;\n}\n', line: 1 },
        { backend: fixedSamples([]) },
      ),
      (e: unknown) => e instanceof InfillError && /hidden is not exported from m\.ts/.test(e.message),
    );
    const controller = new AbortController();
    const backend = fixedSamples(['_x():\n    assert add(1, 1) == 2\n'], undefined, () => controller.abort());
    await assert.rejects(
      generateTests({ modulePath: 'calc.py', text: CALC_PY, line: 0 }, { backend }, undefined, controller.signal),
      (e: unknown) => e instanceof InfillError && e.code === 'cancelled',
    );
  });

  it('self-instruct: the first solution that passes all tests is kept; each solution prompt shows one test only', async () => {
    const q = { id: 'q1', question: 'def inc(x):\n    """Add one to x."""\n', entryPoint: 'inc' };
    const backend = fixedSamples([
      '1) == 2\n# Test case 2:\nassert inc(-1) == 0\n# Test case 3:\nassert inc(41) == 42\n',
      '    return x + 2\n',
      '    return x + 1\n',
      '    return x + 1  # never asked\n',
    ]);
    const row = await selfInstructOne(
      q,
      { backend },
      { tests: 5, solutions: 10, temperature: 0.8, maxNewTokens: 64, seed: 0 },
    );
    assert.deepEqual(row, {
      id: 'q1',
      question: q.question,
      tests: ['assert inc(1) == 2', 'assert inc(-1) == 0', 'assert inc(41) == 42'],
      solution: 'def inc(x):\n    """Add one to x."""\n    return x + 1\n',
      attempts: 2,
    });
    assert.equal(backend.prompts.length, 3, 'stops at the first passing solution');
    const second = backend.prompts[2]!;
    assert.match(second, /# assert inc\(-1\) == 0/, 'the second attempt shows the second test');
    assert.doesNotMatch(second, /inc\(41\)|inc\(1\) == 2/, 'the other tests stay hidden');

    const none = await selfInstructOne(
      q,
      { backend: fixedSamples(['1) == 2\n', '    return x\n', '    return x - 1\n']) },
      { tests: 5, solutions: 2, temperature: 0.8, maxNewTokens: 64, seed: 0 },
    );
    assert.deepEqual([none.solution, none.attempts, none.tests.length], [null, 2, 1]);
  });
});
