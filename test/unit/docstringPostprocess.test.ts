import { strict as assert } from 'node:assert';
import {
  detectPythonStyle,
  finishDocstring,
  locateDefinition,
  planDocstring,
  type Param,
} from '../../src/core/docstring';
import { extractParams } from '../../src/core/docstring/params';
import {
  commentLines,
  cutAtClosing,
  cutCodeLeak,
  ensureParams,
  ensureSummary,
  limitLength,
  normalizeLines,
  postprocessDoc,
} from '../../src/core/docstring/postprocess';
import { styleSpec } from '../../src/core/docstring/styles';

const google = styleSpec('python', 'google');
const jsdoc = styleSpec('typescript', 'google');
const p = (...names: string[]): Param[] => names.map((name) => ({ name }));

describe('docstrings: post-processing (small pure steps)', () => {
  describe('cutAtClosing', () => {
    it('cuts at the closing delimiter and what follows it', () =>
      assert.equal(cutAtClosing('Sum."""\n    return 1', ['"""']), 'Sum.'));
    it('cuts at a spelled-out FIM end token', () => assert.equal(cutAtClosing('Sum. <EOT> junk', ['*/']), 'Sum. '));
    it('leaves unclosed text whole (the renderer closes it)', () =>
      assert.equal(cutAtClosing('Sum of\n    the values', ['"""']), 'Sum of\n    the values'));
  });

  describe('an unclosed generation still becomes a closed comment', () => {
    it('python: max tokens hit mid-sentence, no closing quotes', () => {
      const text = 'def f(a):\n    return a\n';
      const r = finishDocstring(planDocstring({ text, language: 'python', line: 0 }), 'Return a, which is');
      assert.match(r.docstring, /^ {4}"""Return a, which is\n\n {4}Args:\n {8}a: TODO\.\n {4}"""\n$/);
    });
    it('jsdoc: no */ in the output', () => {
      const text = 'function f() {\n  return 1;\n}\n';
      const r = finishDocstring(planDocstring({ text, language: 'javascript', line: 0 }), 'Returns one.\n * More');
      assert.equal(r.docstring, '/**\n * Returns one.\n * More\n */\n');
    });
  });

  describe('cutCodeLeak', () => {
    it('cuts at the first line of Python code', () =>
      assert.deepEqual(cutCodeLeak(['Sum.', '', 'def g(x):', '  pass']), ['Sum.', '']));
    it('cuts at a C-family statement and a closing brace', () => {
      assert.deepEqual(cutCodeLeak(['Adds.', 'return a + b;']), ['Adds.']);
      assert.deepEqual(cutCodeLeak(['Adds.', '}']), ['Adds.']);
    });
    it('keeps doctests, tags and section headers', () => {
      const lines = ['Sum.', '', 'Args:', '    a: x', '@param a x', '>>> total = f(1)', 'Returns:'];
      assert.deepEqual(cutCodeLeak(lines), lines);
    });
    it('a first line of code leaves nothing', () => assert.deepEqual(cutCodeLeak(['     return a', 'Sum.']), []));
  });

  describe('commentLines', () => {
    it('takes the block markers off continuation lines', () =>
      assert.deepEqual(commentLines('A.\n * B\n *\n * @param x', /* jsdoc */ jsdoc.lineMarker), [
        'A.',
        'B',
        '',
        '@param x',
      ]));
    it('line comments: a line without the marker ends the comment', () => {
      assert.deepEqual(commentLines('adds.\n// more\nfunc Add() {', styleSpec('go', 'google').lineMarker), [
        'adds.',
        'more',
      ]);
    });
  });

  describe('normalizeLines (indentation)', () => {
    it('removes the indentation the model wrote at the target, keeping relative indentation', () => {
      assert.deepEqual(normalizeLines(['  Sum.', '', '        Args:', '            a: x', '        ']), [
        'Sum.',
        '',
        'Args:',
        '    a: x',
      ]);
    });
    it('expands tabs', () =>
      assert.deepEqual(normalizeLines(['Sum.', '\tArgs:', '\t\ta: x']), ['Sum.', 'Args:', '    a: x']));
    it('drops blank runs and blank ends', () =>
      assert.deepEqual(normalizeLines(['', 'A.', '', '', '', 'B.', '', '']), ['A.', '', 'B.']));
  });

  describe('limitLength', () => {
    it('caps lines and cuts an overlong line at a word', () => {
      const long = 'word '.repeat(60).trim();
      const out = limitLength([long, ...Array.from({ length: 40 }, (_, i) => `line ${i}`)], 10, 50);
      assert.equal(out.length, 10);
      assert.ok(out[0]!.length <= 50 && out[0]!.endsWith('word'));
    });
    it('a runaway repetition becomes a bounded comment', () => {
      const text = 'def f(a):\n    return a\n';
      const r = finishDocstring(planDocstring({ text, language: 'python', line: 0 }), 'x_from_'.repeat(300));
      assert.ok(r.docstring.split('\n').every((l) => l.length <= 170));
    });
  });

  describe('ensureSummary / ensureParams (missing parameters)', () => {
    it('an empty output gets a placeholder summary; a seed stays in front', () => {
      assert.deepEqual(ensureSummary([], '', 'area'), ['TODO: describe area.']);
      assert.deepEqual(ensureSummary(['Add '], 'Add ', 'Add'), ['Add TODO.']);
    });
    it('google: a stub for each missing parameter, inside an existing Args section', () => {
      assert.deepEqual(
        ensureParams(['Sum.', '', 'Args:', '    a: x.', '', 'Returns:', '    y.'], p('a', 'b'), google),
        ['Sum.', '', 'Args:', '    a: x.', '    b: TODO.', '', 'Returns:', '    y.'],
      );
    });
    it('google: an Args section before Returns when there is none', () => {
      assert.deepEqual(ensureParams(['Sum.', '', 'Returns:', '    y.'], p('a'), google), [
        'Sum.',
        '',
        'Args:',
        '    a: TODO.',
        '',
        'Returns:',
        '    y.',
      ]);
    });
    it('numpy and rest formats', () => {
      assert.deepEqual(ensureParams(['Sum.'], [{ name: 'a', type: 'int' }], styleSpec('python', 'numpy')), [
        'Sum.',
        '',
        'Parameters',
        '----------',
        'a : int',
        '    TODO.',
      ]);
      assert.deepEqual(ensureParams(['Sum.'], p('a'), styleSpec('python', 'rest')), ['Sum.', '', ':param a: TODO.']);
    });
    it('documented parameters are left alone, in each convention', () => {
      assert.deepEqual(ensureParams(['S.', '@param {number} a x'], p('a'), jsdoc), ['S.', '@param {number} a x']);
      assert.deepEqual(ensureParams(['<param name="a">x</param>'], p('a'), styleSpec('csharp', 'google')), [
        '<param name="a">x</param>',
      ]);
      assert.deepEqual(ensureParams(['S.', '* `a` - x'], p('a'), styleSpec('rust', 'google')), ['S.', '* `a` - x']);
    });
    it('postprocessDoc names every parameter even when the model names none', () => {
      const lines = postprocessDoc('Adds.', jsdoc, { name: 'add', params: p('a', 'b') });
      assert.deepEqual(lines, ['Adds.', '', '@param a TODO.', '@param b TODO.']);
    });
  });

  describe('tabs and line breaks', () => {
    it('a tab-indented Python file gets a tab-indented docstring', () => {
      const text = 'class A:\n\tdef f(self, a):\n\t\treturn a\n';
      const r = finishDocstring(planDocstring({ text, language: 'python', line: 1 }), 'Return a.');
      assert.equal(r.docstring, '\t\t"""Return a.\n\n\t\tArgs:\n\t\t\ta: TODO.\n\t\t"""\n');
    });
    it('a CRLF file gets CRLF line breaks', () => {
      const text = 'function f(a) {\r\n  return a;\r\n}\r\n';
      const r = finishDocstring(planDocstring({ text, language: 'javascript', line: 1 }), 'Returns a.');
      assert.equal(r.docstring, '/**\r\n * Returns a.\r\n *\r\n * @param a TODO.\r\n */\r\n');
    });
  });
});

describe('docstrings: locating the definition and its parameters', () => {
  it('the innermost definition around the cursor (indentation for Python, braces elsewhere)', () => {
    const py = 'class A:\n    def f(self):\n        x = 1\n\n        return x\n\n    y = 2\n';
    assert.equal(locateDefinition(py, 'python', 4)?.name, 'f');
    assert.equal(locateDefinition(py, 'python', 6)?.name, 'A');
    const ts = 'class A {\n  f(a: number) {\n    if (a) {\n      call(a);\n    }\n  }\n}\n';
    assert.equal(locateDefinition(ts, 'typescript', 3)?.name, 'f');
    assert.equal(locateDefinition(ts, 'typescript', 3)?.endLine, 5);
  });
  it('calls and control statements are not definitions', () => {
    assert.equal(locateDefinition('x = 1\nprint(x)\n', 'python', 1), undefined);
    assert.equal(locateDefinition('int main;\nfoo(bar);\nif (x) {\n}\n', 'c', 1), undefined);
  });
  it("prefers the editor's symbols where they contain the cursor", () => {
    const ts = 'const api = {\n  get(a) {\n    return a;\n  },\n};\n';
    const d = locateDefinition(ts, 'typescript', 2, [
      { name: 'get', kind: 'method', startLine: 1, endLine: 3, selectionLine: 1 },
    ]);
    assert.equal(d?.name, 'get');
    assert.deepEqual(
      d?.params.map((x) => x.name),
      ['a'],
    );
  });
  it('a cursor on the doc comment or a decorator above belongs to the declaration below', () => {
    assert.equal(locateDefinition('/**\n * x\n */\n@Dec()\nfunction f() {\n}\n', 'typescript', 1)?.name, 'f');
    assert.equal(locateDefinition('@cache\ndef f():\n    pass\n', 'python', 0)?.declLine, 0);
  });
  it('clear errors: not in a function, a one-line def, a line outside the file', () => {
    assert.throws(
      () => planDocstring({ text: 'x = 1\n', language: 'python', line: 0 }),
      /not in a function, method or class/,
    );
    assert.throws(
      () => planDocstring({ text: 'def f(): return 1\n', language: 'python', line: 0 }),
      /written on one line/,
    );
    assert.throws(() => planDocstring({ text: 'x = 1\n', language: 'python', line: 9 }), /outside the file/);
  });
  it('parameters per language', () => {
    const names = (list: string, lang: Parameters<typeof extractParams>[1]) =>
      extractParams(list, lang).map((x) => x.name);
    assert.deepEqual(names('self, a: int = 1, *args, b=(1, 2), **kw', 'python'), ['a', '*args', 'b', '**kw']);
    assert.deepEqual(
      names(
        'private readonly x: number, y?: Map<string, number>, ...rest: T[], {a, b}: O, cb: (x: number) => void',
        'typescript',
      ),
      ['x', 'y', 'rest', 'cb'],
    );
    assert.deepEqual(names('final Map<String, Integer> m, @NonNull String... names, int[] xs', 'java'), [
      'm',
      'names',
      'xs',
    ]);
    assert.deepEqual(names('a, b int, names ...string', 'go'), ['a', 'b', 'names']);
    assert.deepEqual(names('int, string', 'go'), []);
    assert.deepEqual(names('&self, mut a: Vec<i32>, _: u8', 'rust'), ['a']);
    assert.deepEqual(names('const char *s, int (*cb)(int), size_t n', 'c'), ['s', 'cb', 'n']);
    assert.deepEqual(names('void', 'c'), []);
    assert.deepEqual(names('this string s, ref int n, params object[] rest, int d = 3', 'csharp'), [
      's',
      'n',
      'rest',
      'd',
    ]);
  });
  it('the Python style is the one used nearby; Google by default; a setting wins', () => {
    assert.equal(detectPythonStyle('def f():\n    pass\n'), 'google');
    assert.equal(detectPythonStyle('"""x\n\n    Parameters\n    ----------\n    a : int\n"""'), 'numpy');
    assert.equal(detectPythonStyle('"""x\n\n    :param a: y\n    :returns: z\n"""'), 'rest');
    assert.equal(detectPythonStyle('"""x\n\n    :param a: y\n"""', 'google'), 'google');
  });
});
