import type { CandidateTest } from '../../harness/candidates';
import { codeOf, dedent, usedImports } from '../modelOutput';
import { jsImportedNames } from './imports';
import { closingBracket, codeMask } from './scan';

const JS_TEST = /(^|[^\w$.])(test|it)(\.(?:only|skip|todo))?\s*\(/g;
const JS_IMPORT =
  /^(?:import\s[^;]*?from\s*['"][^'"]+['"]|import\s*['"][^'"]+['"]|(?:const|let|var)\s+[\w${}\s,:]+=\s*require\(\s*['"][^'"]+['"]\s*\))\s*;?\s*$/;

/** JavaScript/TypeScript tests in a sample: each `test(...)`/`it(...)` call not inside another, cut at its `)`. */
export function parseJsTests(text: string, sample = 0, truncatedSample = false): CandidateTest[] {
  const code = codeOf(text);
  const mask = codeMask(code);
  const imports = [
    ...new Set(
      code
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => JS_IMPORT.test(l)),
    ),
  ];
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
    out.push({
      name: title?.[2] ?? `test ${out.length + 1}`,
      code: testCode,
      imports: usedImports(jsImportedNames, imports, testCode),
      sample,
      truncated: false,
    });
    from = end;
  }
  if (truncatedSample && out.length) out[out.length - 1]!.truncated = true;
  return out;
}
