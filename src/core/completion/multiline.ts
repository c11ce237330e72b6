/**
 * Single or multi-line: single line when text sits right of the cursor or the cursor is inside a line's expression;
 * multi-line on an empty line right after a block opener (a line ending in `:`, `{`, `[`, `(` or `=>`).
 */
export function decideMultiline(linePrefix: string, lineSuffix: string, previousLines: string): boolean {
  if (lineSuffix.trim() !== '') return false;
  if (linePrefix.trim() !== '') return false;
  const previous =
    previousLines
      .split('\n')
      .reverse()
      .find((l) => l.trim() !== '') ?? '';
  return /(:|\{|\[|\(|=>)\s*(#.*|\/\/.*)?$/.test(previous.trimEnd());
}
