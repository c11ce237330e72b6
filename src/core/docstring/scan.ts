import type { DocLanguage } from './types';

/**
 * A small lexer for the brace languages: walks `text` from `from`, skipping strings, character literals and comments,
 * and calls `visit` with each code character and the bracket depth before it. `visit` returns true to stop; the
 * offset it stopped at is returned (-1 at the end of the text).
 */
export function scanCode(
  text: string,
  from: number,
  language: DocLanguage,
  visit: (ch: string, offset: number, depth: number) => boolean,
): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (language === 'python' && ch === '#') {
      i = lineEnd(text, i);
      continue;
    }
    if (language !== 'python' && ch === '/' && next === '/') {
      i = lineEnd(text, i);
      continue;
    }
    if (language !== 'python' && ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    if (ch === '"' || ch === '`' || (ch === "'" && isCharLiteralStart(text, i, language))) {
      if (language === 'python' && text.startsWith(ch.repeat(3), i)) {
        const end = text.indexOf(ch.repeat(3), i + 3);
        i = end < 0 ? text.length : end + 3;
        continue;
      }
      i = stringEnd(text, i, ch, language);
      continue;
    }
    if (visit(ch, i, depth)) return i;
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    i++;
  }
  return -1;
}

function lineEnd(text: string, i: number): number {
  const n = text.indexOf('\n', i);
  return n < 0 ? text.length : n;
}

/** Rust lifetimes ('a) are not character literals; everywhere else a quote opens one. */
function isCharLiteralStart(text: string, i: number, language: DocLanguage): boolean {
  if (language !== 'rust') return true;
  return /^'(?:\\.[^']*|[^\\'])'/.test(text.slice(i, i + 12));
}

function stringEnd(text: string, i: number, quote: string, language: DocLanguage): number {
  // Go raw strings and JS template literals span lines; C# verbatim strings (@"...") have no escapes.
  const raw = (language === 'go' && quote === '`') || (language === 'csharp' && text[i - 1] === '@');
  let j = i + 1;
  while (j < text.length) {
    const c = text[j]!;
    if (c === '\\' && !raw) {
      j += 2;
      continue;
    }
    if (c === quote) return j + 1;
    if (c === '\n' && quote !== '`' && !raw && language !== 'python') return j;
    j++;
  }
  return text.length;
}

/** Offset of the bracket closing the one at `open`, or -1. */
export function matchingBracket(text: string, open: number, language: DocLanguage): number {
  let end = -1;
  scanCode(text, open, language, (ch, offset, depth) => {
    if (offset > open && depth === 1 && (ch === ')' || ch === ']' || ch === '}')) {
      end = offset;
      return true;
    }
    return false;
  });
  return end;
}

/** Offsets of the start of each line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** The 0-based line of an offset. */
export function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0,
    hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
