const expandTabs = (line: string, tabSize: number) => {
  let out = '';
  for (const ch of line) out += ch === '\t' ? ' '.repeat(tabSize - (out.length % tabSize)) : ch;
  return out;
};
const lead = (s: string) => /^ */.exec(s)![0].length;

/**
 * Content lines with relative indentation: tabs expanded, trailing spaces and the common indentation of the lines after
 * the first removed (the model writes them at the target's indentation; the renderer puts the real one back), no blank
 * lines at either end, and never two blank lines in a row.
 */
export function normalizeLines(lines: readonly string[], tabSize = 4): string[] {
  const expanded = lines.map((l) => expandTabs(l, tabSize).trimEnd());
  if (expanded.length === 0) return [];
  expanded[0] = expanded[0]!.trimStart();
  const rest = expanded.slice(1).filter((l) => l !== '');
  const common = rest.length ? Math.min(...rest.map(lead)) : 0;
  const out: string[] = [];
  for (const [i, l] of expanded.entries()) {
    const line = i === 0 ? l : l.slice(Math.min(common, lead(l)));
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}
