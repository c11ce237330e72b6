import type { CompletionFilter } from './types';

const CLOSERS = new Set([')', ']', '}', '"', "'", '`', ';', ',', '>']);

/**
 * Brackets and quotes that already follow the cursor are not typed twice: when the completion's first line ends with
 * the closing characters found right of the cursor, they are removed from the completion.
 */
export const noDuplicateClosers: CompletionFilter = (text, ctx) => {
  const right = ctx.lineSuffix.trimEnd();
  let closing = '';
  for (const ch of right) {
    if (!CLOSERS.has(ch)) break;
    closing += ch;
  }
  if (!closing) return text;
  const [first, ...rest] = text.split('\n');
  const line = first!.trimEnd();
  for (let n = closing.length; n > 0; n--) {
    if (line.endsWith(closing.slice(0, n))) {
      return [line.slice(0, line.length - n), ...rest].join('\n');
    }
  }
  return text;
};
