/**
 * A small JavaScript/TypeScript scanner: which characters are code (not inside strings, template literals or
 * comments), and where a bracket closes. Enough to cut test calls out of model output; not a parser.
 */
export function codeMask(text: string): boolean[] {
  const mask = new Array<boolean>(text.length).fill(false);
  let mode: 'code' | 'line' | 'block' | '"' | "'" | '`' = 'code';
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!,
      n = text[k + 1];
    switch (mode) {
      case 'code':
        if (c === '/' && n === '/') {
          mode = 'line';
          k++;
        } else if (c === '/' && n === '*') {
          mode = 'block';
          k++;
        } else if (c === '"' || c === "'" || c === '`') mode = c;
        else mask[k] = true;
        break;
      case 'line':
        if (c === '\n') {
          mode = 'code';
          mask[k] = true;
        }
        break;
      case 'block':
        if (c === '*' && n === '/') {
          mode = 'code';
          k++;
        }
        break;
      default:
        if (c === '\\') k++;
        else if (c === mode) mode = 'code';
        // An unclosed quote ends at the line's end (model output may be cut anywhere).
        else if (c === '\n' && mode !== '`') {
          mode = 'code';
          mask[k] = true;
        }
    }
  }
  return mask;
}

const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Index of the bracket that closes the one at `open`, or -1 when the text ends first. */
export function closingBracket(text: string, mask: readonly boolean[], open: number): number {
  const stack: string[] = [];
  for (let k = open; k < text.length; k++) {
    if (!mask[k]) continue;
    const c = text[k]!;
    if (PAIRS[c]) stack.push(PAIRS[c]);
    else if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== c) return -1;
      if (!stack.length) return k;
    }
  }
  return -1;
}

/** The text without its comments (strings and template literals untouched). */
export function stripJsComments(text: string): string {
  let out = '';
  let mode: 'code' | 'line' | 'block' | '"' | "'" | '`' = 'code';
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!,
      n = text[k + 1];
    if (mode === 'code') {
      if (c === '/' && n === '/') {
        mode = 'line';
        k++;
        continue;
      }
      if (c === '/' && n === '*') {
        mode = 'block';
        k++;
        continue;
      }
      if (c === '"' || c === "'" || c === '`') mode = c;
      out += c;
    } else if (mode === 'line') {
      if (c === '\n') {
        mode = 'code';
        out += c;
      }
    } else if (mode === 'block') {
      if (c === '*' && n === '/') {
        mode = 'code';
        k++;
        out += ' ';
      }
    } else {
      out += c;
      if (c === '\\') {
        out += n ?? '';
        k++;
      } else if (c === mode || (c === '\n' && mode !== '`')) mode = 'code';
    }
  }
  return out;
}
