import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  docLanguageOfPath,
  finishDocstring,
  planDocstring,
  type DocPosition,
  type DocstringResult,
} from '../../src/core/docstring';

interface Case {
  name: string;
  file: string;
  /** 1-based line of the cursor. */
  line: number;
  /** A fixed raw model output (what the model wrote after the opening delimiter). */
  raw: string;
  expected: Pick<DocstringResult, 'style' | 'name' | 'insertAt' | 'replaces' | 'docstring'>;
}

const DIR = path.join(__dirname, '..', 'fixtures', 'docstring');
const CASES = JSON.parse(fs.readFileSync(path.join(DIR, 'cases.json'), 'utf8')) as Case[];
const source = (file: string) => fs.readFileSync(path.join(DIR, 'src', file), 'utf8');

function offset(text: string, p: DocPosition): number {
  const lines = text.split('\n');
  let o = 0;
  for (let i = 0; i < p.line; i++) o += lines[i]!.length + 1;
  return o + p.character;
}

/** The file with the result applied, as the editor's edit (and a user of --json) would. */
function apply(text: string, r: DocstringResult): string {
  const start = offset(text, r.replaces ? r.replaces.start : r.insertAt);
  const end = r.replaces ? offset(text, r.replaces.end) : start;
  return text.slice(0, start) + r.docstring + text.slice(end);
}

function run(c: Case): { text: string; result: DocstringResult; headerLine: number } {
  const text = source(c.file);
  const language = docLanguageOfPath(c.file)!;
  const plan = planDocstring({ text, language, line: c.line - 1 });
  return { text, result: finishDocstring(plan, c.raw), headerLine: plan.definition.headerLine };
}

/** Where the definition's header is once the result is applied. */
function headerAfter(r: DocstringResult, headerLine: number): number {
  if (headerLine < r.insertAt.line) return headerLine;
  const added = r.docstring.split('\n').length - 1;
  return headerLine + added - (r.replaces ? r.replaces.end.line - r.replaces.start.line : 0);
}

describe('docstrings: placement and formatting goldens (fixed raw model output per language)', () => {
  it('covers every language and convention', () => {
    const files = new Set(CASES.map((c) => docLanguageOfPath(c.file)));
    for (const l of ['python', 'javascript', 'typescript', 'java', 'go', 'rust', 'c', 'cpp', 'csharp'] as const)
      assert.ok(files.has(l), l);
    const styles = new Set(CASES.map((c) => c.expected.style));
    for (const s of ['google', 'numpy', 'rest', 'jsdoc', 'javadoc', 'godoc', 'rustdoc', 'doxygen', 'xmldoc'])
      assert.ok(styles.has(s as never), s);
  });

  for (const c of CASES) {
    it(c.name, () => {
      const { text, result, headerLine } = run(c);
      assert.equal(result.style, c.expected.style);
      assert.equal(result.name, c.expected.name);
      assert.deepEqual(result.insertAt, c.expected.insertAt);
      assert.deepEqual(result.replaces, c.expected.replaces);
      assert.equal(result.docstring, c.expected.docstring);

      // Structure, whatever the words: applied to the file, the comment is found again as the definition's own doc
      // comment, exactly, and the code around it is untouched.
      const after = apply(text, result);
      const again = planDocstring({ text: after, language: result.language, line: headerAfter(result, headerLine) });
      assert.equal(again.definition.name, result.name);
      assert.equal(
        again.existingText,
        result.docstring.replace(/\n$/, ''),
        "the new comment is the definition's doc comment",
      );
      const removed =
        after.slice(0, offset(after, result.insertAt)) +
        after.slice(offset(after, result.insertAt) + result.docstring.length);
      const original = result.replaces
        ? text.slice(0, offset(text, result.replaces.start)) + text.slice(offset(text, result.replaces.end))
        : text;
      assert.equal(removed, original, 'only the comment changed');
      // Every parameter is named.
      for (const p of again.definition.params)
        assert.match(result.docstring, new RegExp(p.name.replace(/[*.]/g, '\\$&')), `names ${p.name}`);
    });
  }

  it('Python results parse, and Python sees each docstring (ast.get_docstring)', function () {
    const py = CASES.filter((c) => c.file.endsWith('.py')).map((c) => {
      const { text, result } = run(c);
      return { code: apply(text, result), name: c.expected.name };
    });
    const script =
      'import ast, json, sys\nfor case in json.load(sys.stdin):\n    tree = ast.parse(case["code"])\n' +
      '    docs = [ast.get_docstring(n) for n in ast.walk(tree) if getattr(n, "name", None) == case["name"]]\n' +
      '    assert docs and docs[0], case["name"]\nprint("ok")\n';
    const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(py), encoding: 'utf8' });
    if (r.error) this.skip(); // no Python on this machine
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'ok');
  });
});
