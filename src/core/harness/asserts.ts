import { codeOf } from './candidates';

/**
 * The assert statements of a self-instruct test answer (`# Test case n:` above each, as Code Llama's prompt asks):
 * each `assert` at the top level with its continuation lines (open brackets, trailing backslash). Statements whose
 * brackets never close (cut by the token limit) are left out.
 */
export function parseAssertTests(text: string, limit = Infinity): string[] {
  const lines = codeOf(text)
    .split('\n')
    .map((l) => l.replace(/\r$/, ''));
  const out: string[] = [];
  for (let i = 0; i < lines.length && out.length < limit; i++) {
    if (!/^assert\b/.test(lines[i]!)) continue;
    let depth = 0,
      end = i,
      closed = false;
    for (let k = i; k < lines.length; k++) {
      for (const ch of stripStrings(lines[k]!).replace(/#.*$/, ''))
        depth += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
      end = k;
      if (depth <= 0 && !/\\$/.test(lines[k]!)) {
        closed = true;
        break;
      }
    }
    const statement = lines
      .slice(i, end + 1)
      .join('\n')
      .replace(/\s+#[^'"\n]*$/, '')
      .trimEnd();
    if (closed && depth === 0 && statement.length > 'assert '.length) out.push(statement);
    i = end;
  }
  return [...new Set(out)];
}

/** A line with its string literals emptied (brackets inside strings do not count). */
function stripStrings(line: string): string {
  return line.replace(/(['"])(?:\\.|(?!\1).)*\1/g, '""');
}
