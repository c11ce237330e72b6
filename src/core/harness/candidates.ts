import { closingBracket, codeMask, stripJsComments } from './jsScan';
import type { TestLanguage } from './types';

/** One test cut out of model output: a Python `def test_*` or a JavaScript/TypeScript `test(...)`/`it(...)` call. */
export interface CandidateTest {
  /** The test function's name (Python) or title (JavaScript/TypeScript). */
  name: string;
  /** The test's code, dedented to the top level. */
  code: string;
  /** Import lines found in the same sample (the test may need them). */
  imports: string[];
  /** Which generation (sample) it came from. */
  sample: number;
  /** The sample's text ended at the token limit and this was its last test: probably cut short. */
  truncated: boolean;
  /** Python: a test method of a class (a unittest.TestCase or a pytest Test* class), with the class around it. */
  testClass?: TestClassParts;
}

/** A test method and its class, in parts, so the test file can put the kept methods of one class back together. */
export interface TestClassParts {
  /** The class's name (`TestClamp`) and the method's (`test_above`). */
  name: string;
  method: string;
  /** The class line, with its decorators: `class TestClamp(unittest.TestCase):`. */
  header: string;
  /** The class body without its test methods (setUp, helpers, attributes), indented as in the class; may be empty. */
  preamble: string;
  /** The test method, indented as in the class. */
  methodCode: string;
}

/** The code in a model's answer: inside [TESTS]/[PYTHON] tags or Markdown fences when there are some, else all of it. */
export function codeOf(answer: string): string {
  const tagged = [...answer.matchAll(/\[(TESTS|PYTHON|JAVASCRIPT|TYPESCRIPT)\]([\s\S]*?)(?:\[\/\1\]|$)/g)].map((m) => m[2]!);
  if (tagged.length) return tagged.map(stripFences).join('\n');
  return stripFences(answer);
}

function stripFences(text: string): string {
  const fenced = [...text.matchAll(/```[\w+-]*[ \t]*\n([\s\S]*?)(?:```|$)/g)].map((m) => m[1]!);
  return fenced.length ? fenced.join('\n') : text;
}

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0].length;

function dedent(lines: string[]): string[] {
  const widths = lines.filter((l) => l.trim()).map(indentOf);
  const cut = widths.length ? Math.min(...widths) : 0;
  return lines.map((l) => l.slice(Math.min(cut, indentOf(l))));
}

const PY_TEST = /^([ \t]*)def[ \t]+(test\w*)[ \t]*\(/;
const PY_IMPORT = /^(?:import[ \t]+[\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*|from[ \t]+[\w.]+[ \t]+import[ \t]+(?:\([^)]*\)|[\w, \t*]+))[ \t]*$/;

/** The block that starts at line `i` (decorators above it included): its header, which may span lines, and the lines indented deeper. */
function pythonBlock(lines: readonly string[], i: number): { start: number; end: number } {
  const indent = indentOf(lines[i]!);
  let start = i;
  while (start > 0 && /^\s*@/.test(lines[start - 1]!) && indentOf(lines[start - 1]!) === indent) start--;
  let end = i;
  let depth = 0;
  for (let k = i; k < lines.length; k++) {
    for (const ch of lines[k]!.replace(/#.*$/, '')) depth += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
    end = k;
    if (depth <= 0) break;
  }
  for (let k = end + 1; k < lines.length; k++) {
    const l = lines[k]!;
    if (!l.trim()) continue;
    if (indentOf(l) <= indent) break;
    end = k;
  }
  return { start, end };
}

const PY_CLASS = /^([ \t]*)class[ \t]+(\w+)\b[^:]*:\s*(#.*)?$/;

/** The class a method at line `i` belongs to: its line, or -1 when the nearest line indented less is not a class. */
function enclosingClass(lines: readonly string[], i: number): number {
  const indent = indentOf(lines[i]!);
  for (let k = i - 1; k >= 0; k--) {
    const l = lines[k]!;
    if (!l.trim() || indentOf(l) >= indent || /^\s*@/.test(l)) continue;
    return PY_CLASS.test(l) ? k : -1;
  }
  return -1;
}

/** A class's parts: its header and, apart from its test methods, its members (setUp, helpers, attributes). */
function classParts(lines: readonly string[], classLine: number): { header: string; preamble: string; end: number } {
  const { start, end } = pythonBlock(lines, classLine);
  const header = dedent(lines.slice(start, classLine + 1)).join('\n');
  const cut = indentOf(lines[classLine]!);
  const members: string[] = [];
  for (let k = classLine + 1; k <= end; k++) {
    if (!lines[k]!.trim()) continue;
    const member = pythonBlock(lines, /^\s*@/.test(lines[k]!) ? nextNonDecorator(lines, k) : k);
    const isTest = PY_TEST.test(lines[nextNonDecorator(lines, k)]!);
    if (!isTest) members.push(lines.slice(k, member.end + 1).map((l) => l.slice(Math.min(cut, indentOf(l)))).join('\n').trimEnd());
    k = member.end;
  }
  return { header, preamble: members.join('\n\n'), end };
}

function nextNonDecorator(lines: readonly string[], k: number): number {
  while (k + 1 < lines.length && /^\s*@/.test(lines[k]!)) k++;
  return k;
}

/**
 * Python tests in a sample: every `def test*(...)` function at its block's indentation with the lines below it that
 * are indented deeper (decorators above it included); a test method (`def test_x(self)`) of a class, as a
 * `unittest.TestCase` or a pytest `Test*` class has them, comes with its class: the class line and the members that
 * are not tests (setUp, helpers, attributes), so it runs on its own. A method outside a class is left out.
 */
export function parsePythonTests(text: string, sample = 0, truncatedSample = false): CandidateTest[] {
  const lines = codeOf(text).split('\n').map((l) => l.replace(/\r$/, ''));
  const imports = [...new Set(lines.map((l) => l.trim()).filter((l) => PY_IMPORT.test(l)))];
  const out: CandidateTest[] = [];
  const classes = new Map<number, ReturnType<typeof classParts>>();
  for (let i = 0; i < lines.length; i++) {
    const m = PY_TEST.exec(lines[i]!);
    if (!m) continue;
    const { start, end } = pythonBlock(lines, i);
    const body = dedent(lines.slice(start, end + 1));
    const bodiless = body.length < 2 && !/:\s*\S/.test(body[0] ?? '');
    if (bodiless) { i = end; continue; } // a header without a body
    if (/\(\s*self\b/.test(lines[i]!)) {
      const classLine = enclosingClass(lines, i);
      if (classLine < 0) { i = end; continue; }
      let parts = classes.get(classLine);
      if (!parts) classes.set(classLine, parts = classParts(lines, classLine));
      const cut = indentOf(lines[classLine]!);
      const methodCode = lines.slice(start, end + 1).map((l) => l.slice(Math.min(cut, indentOf(l)))).join('\n').trimEnd();
      const className = PY_CLASS.exec(lines[classLine]!)![2]!;
      const testClass: TestClassParts = { name: className, method: m[2]!, header: parts.header, preamble: parts.preamble, methodCode };
      const code = classCode(testClass);
      out.push({ name: `${className}.${m[2]!}`, code, imports: usedImports('python', imports, code), sample, truncated: false, testClass });
      i = end;
      continue;
    }
    const code = body.join('\n');
    out.push({ name: m[2]!, code, imports: usedImports('python', imports, code), sample, truncated: false });
    i = end;
  }
  if (truncatedSample && out.length) out[out.length - 1]!.truncated = true;
  return out;
}

/** A class with its preamble and the given test methods, as it stands in a test file. */
export function classCode(parts: Pick<TestClassParts, 'header' | 'preamble'> & { methodCode: string | string[] }): string {
  const methods = Array.isArray(parts.methodCode) ? parts.methodCode : [parts.methodCode];
  return `${parts.header}\n${[parts.preamble, ...methods].filter((b) => b.trim()).join('\n\n')}`;
}

const JS_TEST = /(^|[^\w$.])(test|it)(\.(?:only|skip|todo))?\s*\(/g;
const JS_IMPORT = /^(?:import\s[^;]*?from\s*['"][^'"]+['"]|import\s*['"][^'"]+['"]|(?:const|let|var)\s+[\w${}\s,:]+=\s*require\(\s*['"][^'"]+['"]\s*\))\s*;?\s*$/;

/** JavaScript/TypeScript tests in a sample: each `test(...)`/`it(...)` call not inside another, cut at its `)`. */
export function parseJsTests(text: string, sample = 0, truncatedSample = false): CandidateTest[] {
  const code = codeOf(text);
  const mask = codeMask(code);
  const imports = [...new Set(code.split('\n').map((l) => l.trim()).filter((l) => JS_IMPORT.test(l)))];
  const out: CandidateTest[] = [];
  let from = 0;
  for (const m of code.matchAll(JS_TEST)) {
    const at = m.index + m[1]!.length;
    if (at < from || !mask[at] || m[3]) continue; // inside a test already, in a string or comment, or .only/.skip/.todo
    const open = m.index + m[0].length - 1;
    const close = closingBracket(code, mask, open);
    if (close < 0) continue; // cut short: no closing parenthesis
    const title = /^\(\s*(['"`])((?:\\.|(?!\1).)*)\1/.exec(code.slice(open));
    let end = close + 1;
    if (code[end] === ';') end++;
    const lineStart = code.lastIndexOf('\n', at) + 1;
    const lead = code.slice(lineStart, at);
    const snippet = /^\s*$/.test(lead) ? lead + code.slice(at, end) : code.slice(at, end);
    const testCode = dedent(snippet.split('\n')).join('\n');
    out.push({ name: title?.[2] ?? `test ${out.length + 1}`, code: testCode, imports: usedImports('javascript', imports, testCode), sample, truncated: false });
    from = end;
  }
  if (truncatedSample && out.length) out[out.length - 1]!.truncated = true;
  return out;
}

/** The names an import line declares (`from m import a, b as c` -> a, c; `import x.y` -> x; `const { p } = require(...)` -> p). */
export function importedNames(language: TestLanguage, line: string): string[] {
  if (language === 'python') {
    const from = /^from\s+\S+\s+import\s+\(?([^)]*)\)?/.exec(line);
    const parts = from ? from[1]!.split(',') : line.replace(/^import\s+/, '').split(',');
    return parts.map((p) => p.trim()).filter(Boolean).map((p) => {
      const alias = /\sas\s+(\w+)$/.exec(p);
      return alias ? alias[1]! : from ? p : p.split('.')[0]!;
    });
  }
  const names: string[] = [];
  const braces = /\{([^}]*)\}/.exec(line);
  if (braces) for (const part of braces[1]!.split(',')) { const n = part.split(/\s+as\s+|:/).pop()?.trim(); if (n) names.push(n); }
  const def = /^import\s+([A-Za-z_$][\w$]*)/.exec(line) ?? /^(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/.exec(line);
  if (def) names.push(def[1]!);
  const ns = /\*\s+as\s+([A-Za-z_$][\w$]*)/.exec(line);
  if (ns) names.push(ns[1]!);
  return names;
}

/** The sample's imports a test uses (an unrelated broken import elsewhere in the sample does not sink it). */
function usedImports(language: TestLanguage, imports: readonly string[], code: string): string[] {
  return imports.filter((line) => importedNames(language, line).some((n) => n === '*' || new RegExp(`(^|[^\\w$.])${n.replace(/\$/g, '\\$')}\\b`).test(code)));
}

export function parseTests(language: TestLanguage, text: string, sample = 0, truncatedSample = false): CandidateTest[] {
  return language === 'python' ? parsePythonTests(text, sample, truncatedSample) : parseJsTests(text, sample, truncatedSample);
}

/**
 * The text two tests share when they are the same test: comments and blank space removed, the name replaced
 * (two tests that differ only in name or layout are duplicates).
 */
export function normalizeTest(language: TestLanguage, test: Pick<CandidateTest, 'code' | 'name'>): string {
  let code = test.code;
  if (language === 'python') {
    code = code.split('\n').map((l) => l.replace(/(^|\s)#(?![^'"]*['"][^'"]*$).*$/, '$1')).join('\n');
    code = code.replace(/^(\s*def\s+)test\w*/m, '$1test').replace(/^(\s*class\s+)\w+/m, '$1C');
  } else {
    code = stripJsComments(code);
    code = code.replace(/^(\s*(?:test|it)\s*\(\s*)(['"`])(?:\\.|(?!\2).)*\2/, '$1""');
  }
  return code.replace(/\s+/g, ' ').replace(/\s*([()[\]{},:;=+\-*/<>])\s*/g, '$1').trim();
}

/** Whether a test checks anything: an assert, pytest.raises, expect(...) or assert.*(...). */
export function hasAssertion(language: TestLanguage, code: string): boolean {
  if (language === 'python') return /\bassert\b|pytest\.raises|\bself\.assert\w*\(|pytest\.approx|np\.testing\.assert/.test(code);
  return /\bassert(\.\w+)?\s*\(|\bexpect\s*\(|\bassert\s*\./.test(code);
}
