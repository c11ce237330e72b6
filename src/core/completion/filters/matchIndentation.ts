import { indentOf, type CompletionFilter } from './types';

/** Lines after the first use the editor's indentation: spaces or tabs, tabSize columns a level. */
export const matchIndentation: CompletionFilter = (text, ctx) => {
  const lines = text.split('\n');
  return lines
    .map((line, i) => {
      if (i === 0) return line;
      const lead = indentOf(line);
      if (!lead) return line;
      const width = [...lead].reduce((w, ch) => w + (ch === '\t' ? ctx.tabSize : 1), 0);
      const wanted = ctx.insertSpaces
        ? ' '.repeat(width)
        : '\t'.repeat(Math.floor(width / ctx.tabSize)) + ' '.repeat(width % ctx.tabSize);
      return wanted + line.slice(lead.length);
    })
    .join('\n');
};
