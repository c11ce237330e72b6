// The table of test languages (src/core/testLanguages): every entry is complete enough for the harness and the
// sandbox, its parts agree with each other, and files and VS Code language ids find the right entry.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  composeTestFile,
  moduleRef,
  testLanguageOfId as harnessLanguageOfId,
  type TestLanguage,
} from '../../src/core/harness';
import { SANDBOX_LANGUAGES } from '../../src/core/sandbox';
import { countTests } from '../../src/core/sandbox/testCounts';
import {
  TEST_LANGUAGE_IDS,
  TEST_LANGUAGES,
  testLanguage,
  testLanguageFiles,
  testLanguageOfId,
  testLanguageOfPath,
} from '../../src/core/testLanguages';
import { tmpDir } from '../helpers/model';

const EXAMPLE_TESTS: Record<TestLanguage, string> = {
  python: 'def test_area():\n    assert area(2, 3) == 6',
  javascript: "test('area', () => {\n  assert.equal(area(2, 3), 6);\n});",
  typescript: "test('area', () => {\n  assert.equal(area(2, 3), 6);\n});",
};

/** A summary each runner prints after one passing and one failing test. */
const RUNNER_SUMMARIES: Record<string, string> = {
  pytest: '1 failed, 1 passed in 0.02s',
  unittest: 'Ran 2 tests in 0.001s\n\nFAILED (failures=1)',
  'node --test': '# tests 2\n# pass 1\n# fail 1\n# cancelled 0',
};

describe('test languages: the table', () => {
  it('the sandbox runs exactly the test languages; the harness answers from the same table', () => {
    assert.deepEqual([...SANDBOX_LANGUAGES], [...TEST_LANGUAGE_IDS]);
    assert.deepEqual([...TEST_LANGUAGE_IDS], ['python', 'javascript', 'typescript']);
    for (const id of TEST_LANGUAGE_IDS) assert.equal(testLanguage(id), TEST_LANGUAGES[id]);
    assert.equal(harnessLanguageOfId, testLanguageOfId);
  });

  it('VS Code language ids map to their entries, each id to one entry; others to none', () => {
    assert.equal(testLanguageOfId('python'), 'python');
    assert.equal(testLanguageOfId('javascript'), 'javascript');
    assert.equal(testLanguageOfId('typescript'), 'typescript');
    for (const other of ['typescriptreact', 'javascriptreact', 'go', 'plaintext', 'constructor'])
      assert.equal(testLanguageOfId(other), undefined, other);
    const ids = TEST_LANGUAGE_IDS.flatMap((id) => TEST_LANGUAGES[id].vscodeLanguageIds);
    assert.equal(new Set(ids).size, ids.length, 'no VS Code language id is served by two entries');
  });

  it('each language owns its extension and its conventional test file, which its pattern knows as a test file', () => {
    for (const id of TEST_LANGUAGE_IDS) {
      const lang = TEST_LANGUAGES[id];
      const module = `geo${lang.extension}`;
      assert.equal(testLanguageOfPath(path.join('src', module)), id, module);
      const testFile = lang.testFile.name(module);
      assert.notEqual(testFile, module);
      assert.equal(testLanguageOfPath(testFile), id, `${testFile} is a ${lang.name} file`);
      assert.ok(lang.testFile.pattern.test(testFile), `${testFile} is known as a test file`);
      assert.ok(!lang.testFile.pattern.test(module), `${module} is not a test file`);
    }
    assert.equal(testLanguageOfPath('types.d.ts'), undefined);
    assert.equal(testLanguageOfPath('main.go'), undefined);
    assert.equal(testLanguageFiles(), 'Python (.py), JavaScript (.js) and TypeScript (.ts)');
  });

  it('a composed test file starts with import lines the language knows as imports, and its tests parse back', () => {
    for (const id of TEST_LANGUAGE_IDS) {
      const lang = TEST_LANGUAGES[id];
      for (const moduleText of [
        'export function area(a, b) { return a * b; }\n',
        'function area(a, b) { return a * b; }\nmodule.exports = { area };\n',
      ]) {
        const mod = moduleRef(`geo${lang.extension}`, moduleText, id);
        const tests = lang.candidates.parse(EXAMPLE_TESTS[id], 0, false);
        assert.deepEqual(
          tests.map((t) => t.name),
          [id === 'python' ? 'test_area' : 'area'],
          `${lang.name} parses its own test`,
        );
        assert.ok(
          tests.every((t) => lang.candidates.assertion.test(t.code)),
          `${lang.name} sees the test's assertion`,
        );
        const file = composeTestFile({ name: 'area' }, mod, tests);
        const header = file.slice(0, file.indexOf(lang.testFile.blockGap)).split('\n');
        assert.ok(
          header.length > 0 && header.every((l) => lang.syntax.importLine.test(l)),
          `${lang.name} header: ${header.join(' | ')}`,
        );
        assert.deepEqual(
          lang.candidates.parse(file, 0, false).map((t) => t.code),
          tests.map((t) => t.code),
          `${lang.name} tests survive composing`,
        );
        for (const l of lang.testFile.frameworkImports(mod)) assert.ok(lang.syntax.importLine.test(l), l);
      }
    }
  });

  it("a base model's prompt opens a test that the language's parser cuts out", () => {
    const rest: Record<TestLanguage, string> = {
      python: '_basic():\n    assert area(1, 1) == 1\n',
      javascript: "', () => { assert.equal(area(1, 1), 1); });",
      typescript: "', () => { assert.equal(area(1, 1), 1); });",
    };
    for (const id of TEST_LANGUAGE_IDS) {
      const lang = TEST_LANGUAGES[id];
      const opening = lang.prompt.completionOpening({ name: 'area' });
      const tests = lang.candidates.parse(opening + rest[id], 0, false);
      assert.equal(tests.length, 1, `${lang.name}: ${opening}`);
      assert.ok(
        lang.prompt.instructStyle.length > 0 && lang.syntax.fence.length > 0 && lang.syntax.lineComment.length > 0,
      );
    }
  });

  it('every language has a runner the sandbox can start, whose test counts it reads', async () => {
    const counted = new Set<string>();
    for (const id of TEST_LANGUAGE_IDS) {
      const { runner } = TEST_LANGUAGES[id];
      for (const [name, read] of Object.entries(runner.testCounts)) {
        const summary = RUNNER_SUMMARIES[name];
        assert.ok(summary, `a summary of ${name} to read`);
        assert.deepEqual(read(summary), { passed: 1, failed: 1, errors: 0 }, name);
        assert.deepEqual(
          countTests(name, summary, ''),
          { passed: 1, failed: 1, errors: 0 },
          `the sandbox reads ${name}`,
        );
        counted.add(name);
      }
      assert.ok(Object.keys(runner.testCounts).length > 0, `${id} has a test runner`);
      assert.ok(Array.isArray(await runner.runtimeDirs()));
    }
    assert.deepEqual([...counted].sort(), Object.keys(RUNNER_SUMMARIES).sort());
    assert.equal(countTests('node', '# pass 1\n# fail 0', ''), undefined, 'a script runner has no test counts');

    // Node is there wherever these tests run; TypeScript is transpiled beside the entry before node runs it.
    const dir = tmpDir();
    try {
      fs.writeFileSync(path.join(dir, 'geo.test.ts'), 'const n: number = 1;\nconsole.log(n);\n');
      const ts = await TEST_LANGUAGES.typescript.runner.prepare('tests', dir, 'geo.test.ts', 256);
      assert.equal(ts.name, 'node --test');
      assert.equal(ts.argv[ts.argv.length - 1], 'geo.test.js');
      assert.ok(fs.existsSync(path.join(dir, 'geo.test.js')));
      assert.ok(Object.hasOwn(TEST_LANGUAGES.typescript.runner.testCounts, ts.name), "its runner's counts are read");
      const js = await TEST_LANGUAGES.javascript.runner.prepare('script', dir, 'main.js', 256);
      assert.deepEqual([js.name, js.argv.slice(1)], ['node', ['main.js']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
