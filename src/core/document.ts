import { InfillError } from './errors';

/** A 1-based line and column, as editors and compilers print them. */
export interface Position {
  line: number;
  column: number;
}

/** Splits "FILE:LINE:COL" from the right, so that paths with colons (C:\...) work. */
export function parseFileLineColumn(spec: string): { file: string; line: number; column: number } {
  const m = /^(.+):(\d+):(\d+)$/.exec(spec);
  if (!m) {
    throw new InfillError(
      'bad-arguments',
      `"${spec}" is not FILE:LINE:COL`,
      'Give the position as path/to/file.py:12:5 (1-based line and column)',
    );
  }
  return { file: m[1]!, line: Number(m[2]), column: Number(m[3]) };
}

/** Character offset of a 1-based position; columns count UTF-16 code units as VS Code does. */
export function offsetAt(text: string, position: Position): number {
  const lines = text.split('\n');
  const { line, column } = position;
  if (line < 1 || line > lines.length) {
    throw new InfillError(
      'position-out-of-range',
      `Line ${line} is outside the file (it has ${lines.length} lines)`,
      'Give a line between 1 and the last line',
    );
  }
  const lineText = lines[line - 1]!.replace(/\r$/, '');
  if (column < 1 || column > lineText.length + 1) {
    throw new InfillError(
      'position-out-of-range',
      `Column ${column} is outside line ${line} (it has ${lineText.length} characters)`,
      `Give a column between 1 and ${lineText.length + 1}`,
    );
  }
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i]!.length + 1;
  return offset + column - 1;
}

/**
 * Prefix and suffix around `offset`, cut to whole lines within the character budgets (a first, cheap bound; the engine
 * then fits them to token budgets). The prefix loses whole lines from its start in steps of 32 lines, so its start
 * stays put while the user types and the engine can reuse its KV cache.
 */
export function splitAround(
  text: string,
  offset: number,
  prefixChars = 8000,
  suffixChars = 2500,
): { prefix: string; suffix: string } {
  let prefix = text.slice(0, offset);
  let suffix = text.slice(offset);
  if (prefix.length > prefixChars) {
    const lines = prefix.split('\n');
    let cut = 32;
    while (cut < lines.length - 1 && lines.slice(cut).join('\n').length > prefixChars) cut += 32;
    prefix = cut < lines.length ? lines.slice(cut).join('\n') : prefix;
    if (prefix.length > prefixChars) prefix = prefix.slice(-prefixChars);
  }
  if (suffix.length > suffixChars) {
    const cut = suffix.lastIndexOf('\n', suffixChars);
    suffix = cut >= 0 ? suffix.slice(0, cut + 1) : suffix.slice(0, suffixChars);
  }
  return { prefix, suffix };
}
