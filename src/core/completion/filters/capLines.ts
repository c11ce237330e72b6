import type { CompletionFilter } from './types';

/** A multi-line completion has at most `maxLines` lines. */
export const capLines: CompletionFilter = (text, ctx) =>
  text.split('\n').slice(0, Math.max(1, ctx.maxLines)).join('\n');
