/** The code in a model's answer: inside [TESTS]/[PYTHON] tags or Markdown fences when there are some, else all of it. */
export function codeOf(answer: string): string {
  const tagged = [...answer.matchAll(/\[(TESTS|PYTHON|JAVASCRIPT|TYPESCRIPT)\]([\s\S]*?)(?:\[\/\1\]|$)/g)].map(
    (m) => m[2]!,
  );
  if (tagged.length) return tagged.map(stripFences).join('\n');
  return stripFences(answer);
}

function stripFences(text: string): string {
  const fenced = [...text.matchAll(/```[\w+-]*[ \t]*\n([\s\S]*?)(?:```|$)/g)].map((m) => m[1]!);
  return fenced.length ? fenced.join('\n') : text;
}

export const indentOf = (line: string) => /^[ \t]*/.exec(line)![0].length;

export function dedent(lines: string[]): string[] {
  const widths = lines.filter((l) => l.trim()).map(indentOf);
  const cut = widths.length ? Math.min(...widths) : 0;
  return lines.map((l) => l.slice(Math.min(cut, indentOf(l))));
}

/** The sample's imports a test uses (an unrelated broken import elsewhere in the sample does not sink it). */
export function usedImports(
  importedNames: (line: string) => string[],
  imports: readonly string[],
  code: string,
): string[] {
  return imports.filter((line) =>
    importedNames(line).some((n) => n === '*' || new RegExp(`(^|[^\\w$.])${n.replace(/\$/g, '\\$')}\\b`).test(code)),
  );
}
