import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { execFileSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import { parseAssertTests } from '../../src/core/harness/asserts';
import { hasAssertion, normalizeTest, parseJsTests, parsePythonTests } from '../../src/core/harness/candidates';
import { locateFunction, testLanguageOfPath } from '../../src/core/harness/locate';
import { testPrompt } from '../../src/core/harness/prompts';
import type { ChatMessage } from '../../src/core/backend/types';
import { renderChat } from '../../src/core/chat/render';
import { modelInfo } from '../helpers/fixedSamples';
import { appendToTestFile, composeTestFile, conventionalTestPath, moduleRef } from '../../src/core/harness/testFile';
import { InfillError } from '../../src/core/errors';

const DIR = path.join(__dirname, '..', 'fixtures', 'harness');
const read = (f: string) => fs.readFileSync(path.join(DIR, f), 'utf8');

describe('harness: locating the function at a line', () => {
  const py = read('shapes.py');
  const ts = read('shapes.ts.txt');
  const at = (text: string, lineText: string) => text.split('\n').findIndex((l) => l.includes(lineText));

  it('Python: a def, its decorators and a signature over two lines; the body ends at the dedent', () => {
    const f = locateFunction(py, at(py, 'return fib(n - 1)'), 'python');
    assert.equal(f.name, 'fib');
    assert.equal(f.startLine, at(py, '@functools'));
    assert.equal(f.endLine, at(py, 'return fib(n - 1)'));
    assert.match(f.source, /^@functools[\s\S]*memo: dict[\s\S]*fib\(n - 2\)$/);
    assert.equal(locateFunction(py, at(py, 'memo: dict'), 'python').name, 'fib', "on the signature's second line");
    const add = locateFunction(py, at(py, 'def add'), 'python');
    assert.deepEqual([add.name, add.startLine, add.endLine, add.className], ['add', 4, 5, undefined]);
  });

  it('Python: a nested function gives its method, a method keeps its class; one-line defs; outside any function fails', () => {
    const m = locateFunction(py, at(py, 'return x * x'), 'python');
    assert.deepEqual([m.name, m.className], ['area', 'Circle']);
    assert.equal(m.endLine, at(py, 'return math.pi'));
    const one = locateFunction(py, at(py, 'def total'), 'python');
    assert.deepEqual([one.name, one.startLine, one.endLine], ['total', at(py, 'def total'), at(py, 'def total')]);
    assert.throws(
      () => locateFunction(py, at(py, 'x = 1'), 'python'),
      (e: unknown) =>
        e instanceof InfillError && e.code === 'no-definition' && /Line \d+ is not in a function/.test(e.message),
    );
    assert.throws(
      () => locateFunction(py, 999, 'python'),
      (e: unknown) => e instanceof InfillError && e.code === 'position-out-of-range',
    );
    assert.throws(() => locateFunction(py, at(py, 'class Circle'), 'python'), /not in one of its methods/);
  });

  it('TypeScript: functions, arrows, methods; braces in strings and comments do not count; export is known', () => {
    const a = locateFunction(ts, at(ts, "const s = '}'"), 'typescript');
    assert.deepEqual([a.name, a.startLine, a.endLine, a.exported], ['area', 2, 5, true]);
    const d = locateFunction(ts, at(ts, 'double'), 'typescript');
    assert.deepEqual([d.name, d.startLine, d.endLine], ['double', 7, 7]);
    const t = locateFunction(ts, at(ts, 'return x * 3'), 'typescript');
    assert.deepEqual([t.name, t.endLine], ['triple', at(ts, '};')]);
    const m = locateFunction(ts, at(ts, 'this.n += by'), 'typescript');
    assert.deepEqual(
      [m.name, m.className, m.exported, m.endLine],
      ['increment', 'Counter', true, at(ts, 'return this.n') + 1],
    );
    assert.equal(locateFunction(ts, at(ts, 'return a;'), 'typescript').exported, false);
    assert.throws(() => locateFunction(ts, at(ts, 'let y'), 'typescript'), /not in a function or method/);
  });

  it("the editor's symbols replace the scan when they cover the line", () => {
    const f = locateFunction(py, 5, 'python', [{ name: 'add', kind: 'function', startLine: 4, endLine: 5 }]);
    assert.deepEqual([f.name, f.startLine, f.endLine], ['add', 4, 5]);
  });

  it('languages and conventional test paths', () => {
    assert.equal(testLanguageOfPath('a/b.py'), 'python');
    assert.equal(testLanguageOfPath('a/b.d.ts'), undefined);
    assert.equal(testLanguageOfPath('a/b.mjs'), 'javascript');
    assert.equal(testLanguageOfPath('a/b.go'), undefined);
    assert.equal(conventionalTestPath(path.join('src', 'geo.py'), 'python'), path.join('src', 'test_geo.py'));
    assert.equal(conventionalTestPath(path.join('src', 'geo.ts'), 'typescript'), path.join('src', 'geo.test.ts'));
    assert.equal(conventionalTestPath('geo.js', 'javascript'), 'geo.test.js');
    assert.throws(() => moduleRef('my-mod.py', '', 'python'), /not a Python module name/);
  });
});

describe('harness: cutting candidate tests out of model output', () => {
  it("Python: each def test_* with its body and the sample's imports; a test method with its class; bodiless headers are left out", () => {
    const tests = parsePythonTests('def test_add' + read('python_sample.txt'), 3, true);
    assert.deepEqual(
      tests.map((t) => t.name),
      ['test_add_basic', 'test_negative', 'test_basic_again', 'TestThing.test_method', 'test_cut'],
    );
    assert.equal(tests[3]!.code, 'class TestThing:\n    def test_method(self):\n        assert True');
    assert.equal(tests[0]!.code, 'def test_add_basic():\n    assert add(1, 2) == 3');
    assert.equal(tests[1]!.code, 'def test_negative():\n    # negatives\n    assert add(-1, -2) == -3');
    assert.deepEqual(tests[0]!.imports, ['from shapes import add'], 'only the imports a test uses');
    assert.ok(tests.every((t) => t.sample === 3));
    assert.deepEqual(
      tests.map((t) => t.truncated),
      [false, false, false, false, true],
      'the last test of a sample cut at the token limit',
    );
  });

  it('JavaScript/TypeScript: test() and it() calls, nested in describe or not; strings and comments with parentheses; a cut call is left out', () => {
    const tests = parseJsTests(read('js_sample.txt'));
    assert.deepEqual(
      tests.map((t) => t.name),
      ['area of a square', 'keeps default height'],
    );
    assert.equal(tests[0]!.code, "test('area of a square', () => {\n  assert.equal(area(2, 2), 4); // ok )\n});");
    assert.match(
      tests[1]!.code,
      /^it\("keeps default height", \(\) => \{\n {2}const s = "test\('not a test'\)";\n {2}assert\.equal\(area\(3\), 3\);\n\}\);$/,
    );
    assert.deepEqual(tests[0]!.imports, [
      "import { test } from 'node:test';",
      "import assert from 'node:assert/strict';",
      "import { area } from './shapes';",
    ]);
  });

  it('duplicates: the same test under another name, other spacing or comments normalizes to the same text', () => {
    const [a, , b] = parsePythonTests('def test_add' + read('python_sample.txt'));
    assert.equal(normalizeTest('python', a!), normalizeTest('python', b!));
    const c = parsePythonTests('def test_other():\n    assert add(1,2)==3  # same\n')[0]!;
    assert.equal(normalizeTest('python', c), normalizeTest('python', a!));
    const d = parsePythonTests('def test_other():\n    assert add(1, 2) == 4\n')[0]!;
    assert.notEqual(normalizeTest('python', d), normalizeTest('python', a!));
    const [j1] = parseJsTests("test('x', () => { assert.equal(f(1), 1); });");
    const [j2] = parseJsTests('test("y", () => {\n  // note\n  assert.equal(f(1),1);\n});');
    assert.equal(normalizeTest('typescript', j1!), normalizeTest('typescript', j2!));
  });

  it('assertions: a test that checks nothing is known', () => {
    assert.ok(hasAssertion('python', 'def test_a():\n    assert f() == 1'));
    assert.ok(hasAssertion('python', 'def test_a():\n    with pytest.raises(ValueError):\n        f()'));
    assert.ok(!hasAssertion('python', 'def test_a():\n    f()'));
    assert.ok(hasAssertion('javascript', "test('a', () => { assert.equal(f(), 1); });"));
    assert.ok(!hasAssertion('javascript', "test('a', () => { f(); });"));
  });

  it('self-instruct tests: top-level asserts, over several lines, cut ones dropped, duplicates once', () => {
    const text =
      '[TESTS]\n# Test case 1:\nassert f([1, 2]) == 3\n# Test case 2:\nassert f(\n    [4]) == 4  # four\n# Test case 3:\nassert f([1, 2]) == 3\nassert f("(") == 0\nassert f([1,\n[/TESTS] junk';
    assert.deepEqual(parseAssertTests(text), [
      'assert f([1, 2]) == 3',
      'assert f(\n    [4]) == 4',
      'assert f("(") == 0',
    ]);
    assert.deepEqual(parseAssertTests(text, 1), ['assert f([1, 2]) == 3']);
  });
});

describe('harness: test files and prompts', () => {
  const fn = { name: 'add', className: undefined };
  it('a Python test file: the module import, each import once, same-named tests renamed, pytest only where used', () => {
    const mod = moduleRef('pkg/shapes.py', '', 'python');
    const text = composeTestFile(fn, mod, [
      {
        name: 'test_a',
        code: 'def test_a():\n    assert add(1, 1) == 2',
        imports: ['from shapes import add', 'import math'],
      },
      {
        name: 'test_a',
        code: 'def test_a():\n    assert math.isclose(add(0.1, 0.2), 0.3)',
        imports: ['import math', 'import pytest'],
      },
    ]);
    assert.equal(
      text,
      'from shapes import add\nimport math\n\n\ndef test_a():\n    assert add(1, 1) == 2\n\n\ndef test_a_2():\n    assert math.isclose(add(0.1, 0.2), 0.3)\n',
    );
    const appended = appendToTestFile('from shapes import add\n\n\ndef test_old():\n    assert add(0, 0) == 0\n', text);
    assert.equal(
      appended,
      'from shapes import add\n\n\ndef test_old():\n    assert add(0, 0) == 0\n\n\nimport math\n\n\ndef test_a():\n    assert add(1, 1) == 2\n\n\ndef test_a_2():\n    assert math.isclose(add(0.1, 0.2), 0.3)\n',
    );
  });

  it("a TypeScript test file: node:test and assert, the model's own copies of those imports left out", () => {
    const mod = moduleRef('shapes.ts', 'export function area() {}', 'typescript');
    const text = composeTestFile({ name: 'area' }, mod, parseJsTests(read('js_sample.txt')).slice(0, 1));
    assert.equal(
      text,
      "import { area } from './shapes';\nimport { test } from 'node:test';\nimport assert from 'node:assert/strict';\n\ntest('area of a square', () => {\n  assert.equal(area(2, 2), 4); // ok )\n});\n",
    );
    const cjs = moduleRef('lib.js', 'module.exports = { area };', 'javascript');
    assert.match(
      composeTestFile({ name: 'area' }, cjs, []),
      /^const \{ area \} = require\('\.\/lib\.js'\);\nconst \{ test \} = require\('node:test'\);/,
    );
  });

  it('appending to a JavaScript/TypeScript test file never declares a name twice (that would break the whole file)', async () => {
    const cjsExisting =
      "const { area, perimeter } = require('./lib.js');\nconst { test } = require('node:test');\nconst assert = require('node:assert/strict');\n\ntest('old', () => assert.equal(area(1, 1), 1));\n";
    const cjs = moduleRef('lib.js', 'module.exports = { area };', 'javascript');
    const generated = composeTestFile({ name: 'area' }, cjs, parseJsTests(read('js_sample.txt')).slice(0, 1));
    const appended = appendToTestFile(cjsExisting, generated, 'javascript');
    assert.doesNotThrow(() => new vm.Script(appended), 'the appended CommonJS file compiles');
    assert.equal(appended.match(/require\('\.\/lib\.js'\)/g)?.length, 1);
    assert.match(appended, /test\('area of a square'/);

    const tsExisting =
      "import { area as areaOf, perimeter } from './shapes';\nimport { test } from 'node:test';\n\ntest('old', () => {});\n";
    const ts = moduleRef('shapes.ts', 'export function area() {}', 'typescript');
    const tsAppended = appendToTestFile(
      tsExisting,
      composeTestFile({ name: 'area' }, ts, parseJsTests(read('js_sample.txt')).slice(0, 1)),
      'typescript',
    );
    // `area` is new (the file imports it as areaOf), `test` is not, assert is new: only what is missing is imported.
    assert.match(tsAppended, /^import \{ area \} from '\.\/shapes';$/m);
    assert.equal(tsAppended.match(/import \{ test \}/g)?.length, 1);
    assert.match(tsAppended, /^import assert from 'node:assert\/strict';$/m);
    // Types stripped, then node parses the module: a name declared twice is a SyntaxError there.
    const js = (await esbuild.transform(tsAppended, { loader: 'ts', format: 'esm' })).code;
    assert.doesNotThrow(() =>
      execFileSync(process.execPath, ['--check', '--input-type=module'], { input: js, stdio: 'pipe' }),
    );
    assert.throws(
      () =>
        execFileSync(process.execPath, ['--check', '--input-type=module'], {
          input: `${js}\nimport { test } from 'node:test';\n`,
          stdio: 'pipe',
        }),
      'the check can fail',
    );
  });

  it('prompts: the chat template with [TESTS] tags for instruct models; the start of a test file for base models', () => {
    const py = read('shapes.py');
    const f = locateFunction(py, 5, 'python');
    const mod = moduleRef('shapes.py', py, 'python');
    const base = testPrompt(modelInfo(), f, mod, py, 5);
    assert.equal(base.format, 'completion');
    assert.ok(base.prompt.startsWith('# shapes.py\nimport math\n'));
    assert.ok(
      base.prompt.endsWith(
        '# test_shapes.py: unit tests of add\nfrom shapes import add\nimport pytest\n\n\ndef test_add',
      ),
    );
    assert.equal(base.continues, 'def test_add');
    const seen: string[] = [];
    const chat = testPrompt(modelInfo('chat-template'), f, mod, py, 5);
    assert.equal(chat.format, 'chat-template');
    const template = {
      chatTemplate: 'llama',
      applyChatTemplate: (m: ChatMessage[]) => {
        seen.push(m[0]!.content);
        return `<s>[INST] ${m[0]!.content} [/INST]`;
      },
    };
    // The model's template renders the instruction; the answer is primed with the opening tag.
    assert.ok(renderChat(template, chat.messages!).prompt.endsWith('[/INST] [TESTS]\n'));
    assert.match(seen[0]!, /^Your task is to write 5 unit tests for the Python function `add` below\./);
    assert.match(seen[0]!, /between \[TESTS\] and \[\/TESTS\] tags/);
    assert.deepEqual(chat.stopStrings, ['[/TESTS]']);
    // A chat API (a remote server) gets the same instruction as a message; it applies its own template.
    const api = testPrompt(modelInfo('server'), f, mod, py, 5);
    assert.equal(api.format, 'chat-messages');
    assert.deepEqual(api.messages, [{ role: 'user', content: seen[0] }]);
    assert.deepEqual([api.continues, api.stopStrings], ['', ['[/TESTS]']]);
  });
});
