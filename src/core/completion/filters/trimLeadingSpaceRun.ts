import type { CompletionFilter } from './types';

const COMMENT = /^(#|\/\/|--|;)/;

/**
 * The white space a completion starts with, where the cursor is mid-line: models often open with a run of spaces
 * after a word (`t` + `     >>> t = ...`). The run is collapsed to one space, or to two before an inline comment
 * (PEP 8's `x = 1  # note`); after a space the user typed, it is dropped. At the start of a line (only indentation
 * before the cursor) the white space is indentation and stays. A first line of only white space loses it.
 */
export const trimLeadingSpaceRun: CompletionFilter = (text, ctx) => {
  if (!/\S/.test(ctx.linePrefix)) return text;
  const lead = /^[ \t]*/.exec(text)![0];
  if (!lead) return text;
  const rest = text.slice(lead.length);
  if (rest === '' || rest.startsWith('\n') || rest.startsWith('\r')) return rest;
  if (/[ \t]$/.test(ctx.linePrefix)) return rest;
  if (lead.length === 1) return text;
  return (COMMENT.test(rest) ? '  ' : ' ') + rest;
};
