import { indentWidth, type CompletionFilter } from './types';

/**
 * A multi-line completion ends where the code dedents out of the cursor's block: the first later line indented less
 * than the line the cursor is on (blank lines do not count).
 */
export const stopAtDedent: CompletionFilter = (text, ctx) => {
  if (!ctx.multiline) return text;
  const lines = text.split('\n');
  const firstLine = ctx.linePrefix + lines[0]!;
  const block = indentWidth(firstLine, ctx.tabSize);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (indentWidth(line, ctx.tabSize) < block) return lines.slice(0, i).join('\n').replace(/\s+$/, '');
  }
  return text;
};
