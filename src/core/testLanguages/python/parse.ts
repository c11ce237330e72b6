import type { CandidateTest, TestClassParts } from '../../harness/candidates';
import { codeOf, dedent, indentOf, usedImports } from '../modelOutput';

const PY_TEST = /^([ \t]*)def[ \t]+(test\w*)[ \t]*\(/;
const PY_IMPORT =
  /^(?:import[ \t]+[\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*|from[ \t]+[\w.]+[ \t]+import[ \t]+(?:\([^)]*\)|[\w, \t*]+))[ \t]*$/;

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
    if (!isTest)
      members.push(
        lines
          .slice(k, member.end + 1)
          .map((l) => l.slice(Math.min(cut, indentOf(l))))
          .join('\n')
          .trimEnd(),
      );
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
  const lines = codeOf(text)
    .split('\n')
    .map((l) => l.replace(/\r$/, ''));
  const imports = [...new Set(lines.map((l) => l.trim()).filter((l) => PY_IMPORT.test(l)))];
  const out: CandidateTest[] = [];
  const classes = new Map<number, ReturnType<typeof classParts>>();
  for (let i = 0; i < lines.length; i++) {
    const m = PY_TEST.exec(lines[i]!);
    if (!m) continue;
    const { start, end } = pythonBlock(lines, i);
    const body = dedent(lines.slice(start, end + 1));
    const bodiless = body.length < 2 && !/:\s*\S/.test(body[0] ?? '');
    if (bodiless) {
      i = end;
      continue;
    } // a header without a body
    if (/\(\s*self\b/.test(lines[i]!)) {
      const classLine = enclosingClass(lines, i);
      if (classLine < 0) {
        i = end;
        continue;
      }
      let parts = classes.get(classLine);
      if (!parts) classes.set(classLine, (parts = classParts(lines, classLine)));
      const cut = indentOf(lines[classLine]!);
      const methodCode = lines
        .slice(start, end + 1)
        .map((l) => l.slice(Math.min(cut, indentOf(l))))
        .join('\n')
        .trimEnd();
      const className = PY_CLASS.exec(lines[classLine]!)![2]!;
      const testClass: TestClassParts = {
        name: className,
        method: m[2]!,
        header: parts.header,
        preamble: parts.preamble,
        methodCode,
      };
      const code = classCode(testClass);
      out.push({
        name: `${className}.${m[2]!}`,
        code,
        imports: usedImports(pythonImportedNames, imports, code),
        sample,
        truncated: false,
        testClass,
      });
      i = end;
      continue;
    }
    const code = body.join('\n');
    out.push({ name: m[2]!, code, imports: usedImports(pythonImportedNames, imports, code), sample, truncated: false });
    i = end;
  }
  if (truncatedSample && out.length) out[out.length - 1]!.truncated = true;
  return out;
}

/** A class with its preamble and the given test methods, as it stands in a test file. */
export function classCode(
  parts: Pick<TestClassParts, 'header' | 'preamble'> & { methodCode: string | string[] },
): string {
  const methods = Array.isArray(parts.methodCode) ? parts.methodCode : [parts.methodCode];
  return `${parts.header}\n${[parts.preamble, ...methods].filter((b) => b.trim()).join('\n\n')}`;
}

/** The names an import line declares (`from m import a, b as c` -> a, c; `import x.y` -> x). */
export function pythonImportedNames(line: string): string[] {
  const from = /^from\s+\S+\s+import\s+\(?([^)]*)\)?/.exec(line);
  const parts = from ? from[1]!.split(',') : line.replace(/^import\s+/, '').split(',');
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const alias = /\sas\s+(\w+)$/.exec(p);
      return alias ? alias[1]! : from ? p : p.split('.')[0]!;
    });
}
