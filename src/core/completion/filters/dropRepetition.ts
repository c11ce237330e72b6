import type { CompletionFilter } from './types';

/**
 * Degenerate repetition: a line that repeats (three or more times in a row) is kept once; a line made of one short
 * pattern repeated many times is cut after its third repeat.
 */
export const dropRepetition: CompletionFilter = (text) => {
  const lines = text.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const n = out.length;
    if (n >= 2 && line.trim() !== '' && out[n - 1] === line && out[n - 2] === line) break;
    out.push(line);
  }
  // Collapse trailing duplicates of a repeated non-empty line to one.
  while (out.length >= 2 && out[out.length - 1]!.trim() !== '' && out[out.length - 1] === out[out.length - 2]) out.pop();
  return out.map((line) => {
    const m = /^(.*?)((.{1,8}?)\3{3,})$/.exec(line);
    return m && m[3]!.trim() !== '' ? m[1]! + m[3]!.repeat(3) : line;
  }).join('\n');
};
