import { isDecoratorLine, matchHeader, type HeaderMatch } from './headers';
import { extractParams } from './params';
import { lineOf, lineStarts, matchingBracket, scanCode } from './scan';
import type { Definition, DocLanguage, SymbolHint } from './types';

/** The text split into lines, with offsets, shared by the locator's steps. */
export interface SourceText {
  text: string;
  lines: string[];
  starts: number[];
}

export function sourceText(text: string): SourceText {
  return { text, lines: text.split('\n').map((l) => l.replace(/\r$/, '')), starts: lineStarts(text) };
}

const leadingWhitespace = (s: string) => /^[ \t]*/.exec(s)![0];
const width = (ws: string) => ws.replace(/\t/g, '    ').length;
const HEADER_LINES = 40;
const SEARCH_UP_LINES = 5000;

/** Parameter list after the name: the inner text of the first parentheses, or '' when there are none. */
function paramList(src: SourceText, language: DocLanguage, nameOffset: number, limit: number): string {
  let open = -1;
  scanCode(src.text, nameOffset, language, (ch, offset) => {
    if (offset >= limit || ch === '{' || (ch === ':' && language === 'python') || ch === ';') return true;
    if (ch === '(') {
      open = offset;
      return true;
    }
    return false;
  });
  if (open < 0 || open >= limit) return '';
  const close = matchingBracket(src.text, open, language);
  return close < 0 ? '' : src.text.slice(open + 1, close);
}

function declStart(src: SourceText, headerLine: number, language: DocLanguage): number {
  let line = headerLine;
  while (line > 0 && isDecoratorLine(src.lines[line - 1]!, language)) line--;
  return line;
}

function pythonDefinition(src: SourceText, headerLine: number, header: HeaderMatch): Definition | undefined {
  const from = src.starts[headerLine]! + header.nameEnd;
  const limit =
    src.starts[Math.min(src.lines.length - 1, headerLine + HEADER_LINES)]! +
    src.lines[Math.min(src.lines.length - 1, headerLine + HEADER_LINES)]!.length;
  const colon = scanCode(
    src.text,
    from,
    'python',
    (ch, offset, depth) => offset > limit || (ch === ':' && depth === 0),
  );
  if (colon < 0 || colon > limit) return undefined;
  const headerEndLine = lineOf(src.starts, colon);
  const rest = src.text.slice(colon + 1, src.starts[headerEndLine]! + src.lines[headerEndLine]!.length);
  const inlineBody = rest.trim() !== '' && !rest.trim().startsWith('#');
  const decl = declStart(src, headerLine, 'python');
  const indent = leadingWhitespace(src.lines[decl]!);
  let endLine = headerEndLine;
  let bodyIndent: string | undefined;
  for (let i = inlineBody ? src.lines.length : headerEndLine + 1; i < src.lines.length; i++) {
    const l = src.lines[i]!;
    if (!l.trim()) continue;
    const ws = leadingWhitespace(l);
    if (width(ws) <= width(indent)) break;
    bodyIndent ??= ws;
    endLine = i;
  }
  const unit = indent.includes('\t') || bodyIndent?.startsWith('\t') ? '\t' : '    ';
  const params = header.kind === 'function' ? extractParams(paramList(src, 'python', from, colon), 'python') : [];
  return {
    kind: header.kind,
    name: header.name,
    params,
    declLine: decl,
    headerLine,
    headerEndLine,
    endLine,
    indent,
    bodyIndent: bodyIndent ?? indent + unit,
    inlineBody,
  };
}

function braceDefinition(
  src: SourceText,
  headerLine: number,
  header: HeaderMatch,
  language: DocLanguage,
): Definition | undefined {
  const from = src.starts[headerLine]! + header.nameEnd;
  const lastLine = Math.min(src.lines.length - 1, headerLine + HEADER_LINES);
  const limit = src.starts[lastLine]! + src.lines[lastLine]!.length;
  let sawArrow = false;
  const stop = scanCode(src.text, from, language, (ch, offset, depth) => {
    if (offset > limit) return true;
    if (ch === '=' && src.text[offset + 1] === '>' && depth === 0) sawArrow = true;
    // An arrow function with an expression body ends at the end of its statement.
    return depth === 0 && (ch === '{' || ch === ';');
  });
  if (stop < 0 || stop > limit) {
    if (!header.arrow) return undefined;
  }
  const stopChar = stop >= 0 && stop <= limit ? src.text[stop] : undefined;
  if (
    header.needsBody &&
    stopChar !== '{' &&
    !(stopChar === ';' && language !== 'javascript' && language !== 'typescript')
  )
    return undefined;
  if (header.arrow && !sawArrow && !/=\s*(?:async\s+)?function\b/.test(src.lines[headerLine]!)) return undefined;
  const headerEndLine = stop >= 0 && stop <= limit ? lineOf(src.starts, stop) : headerLine;
  let endLine = headerEndLine;
  if (stopChar === '{') {
    const close = matchingBracket(src.text, stop, language);
    endLine = close < 0 ? src.lines.length - 1 : lineOf(src.starts, close);
  }
  const decl = declStart(src, headerLine, language);
  const indent = leadingWhitespace(src.lines[decl]!);
  const bodyLimit = stop >= 0 && stop <= limit ? stop : limit;
  const params = header.kind === 'function' ? extractParams(paramList(src, language, from, bodyLimit), language) : [];
  if (header.arrow && params.length === 0) {
    const single = /=\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src.lines[headerLine]!);
    if (single) params.push({ name: single[1]! });
  }
  return {
    kind: header.kind,
    name: header.name,
    params,
    declLine: decl,
    headerLine,
    headerEndLine,
    endLine,
    indent,
    bodyIndent: indent,
  };
}

function definitionAt(
  src: SourceText,
  line: number,
  language: DocLanguage,
  header = matchHeader(src.lines[line]!, language),
): Definition | undefined {
  if (!header) return undefined;
  return language === 'python' ? pythonDefinition(src, line, header) : braceDefinition(src, line, header, language);
}

const contains = (d: Definition, line: number) => d.declLine <= line && line <= d.endLine;

/** The innermost symbol from the editor that contains the line and that Infill can document. */
function fromHints(
  src: SourceText,
  line: number,
  language: DocLanguage,
  hints: readonly SymbolHint[],
): Definition | undefined {
  const candidates = hints
    .filter((h) => h.startLine <= line && line <= h.endLine)
    .sort((a, b) => a.endLine - a.startLine - (b.endLine - b.startLine));
  for (const h of candidates) {
    const first = Math.max(0, Math.min(h.selectionLine, h.startLine));
    for (let l = first; l <= Math.min(src.lines.length - 1, h.selectionLine + 2); l++) {
      const header = matchHeader(src.lines[l]!, language);
      if (!header) continue;
      const d = definitionAt(src, l, language, header);
      if (d) return { ...d, endLine: Math.max(d.headerEndLine, Math.min(h.endLine, src.lines.length - 1)) };
    }
  }
  return undefined;
}

/**
 * The function, method or class at a 0-based line: the editor's symbols where given, else the innermost declaration
 * whose header, decorators or body contain the line (indentation for Python, braces elsewhere). A line inside the doc
 * comment above a declaration belongs to it.
 */
export function locateDefinition(
  text: string,
  language: DocLanguage,
  line: number,
  hints: readonly SymbolHint[] = [],
): Definition | undefined {
  const src = sourceText(text);
  if (line < 0 || line >= src.lines.length) return undefined;
  const hinted = fromHints(src, line, language, hints);
  if (hinted) return hinted;
  // On a doc comment (not in Python, where docstrings sit inside) or a decorator: the declaration below.
  const above = (t: string) => isDecoratorLine(t, language) || (language !== 'python' && /^\s*(\/\/|\/\*|\*)/.test(t));
  if (above(src.lines[line]!)) {
    for (let l = line; l < Math.min(src.lines.length, line + HEADER_LINES); l++) {
      const d = definitionAt(src, l, language);
      if (d) return d;
      if (!above(src.lines[l]!)) break;
    }
  }
  for (let l = line; l >= Math.max(0, line - SEARCH_UP_LINES); l--) {
    const d = definitionAt(src, l, language);
    if (d && contains(d, line)) return d;
  }
  return undefined;
}
