import type { DocLanguage, Param } from './types';

/** Splits a parameter list at commas outside brackets, angle brackets and strings. */
export function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0,
    quote = '',
    start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c) && !(c === '>' && list[i - 1] === '=')) depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  return parts.map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p.length > 0);
}

const IDENT = /[A-Za-z_$][\w$]*/;

/** Cuts a default value (`= ...`) off one parameter. */
const withoutDefault = (p: string) => p.replace(/\s*=(?!>)[\s\S]*$/, '').trim();

function python(part: string): Param | undefined {
  const p = withoutDefault(part);
  if (p === '*' || p === '/') return undefined;
  const m = /^(\*{0,2}[A-Za-z_]\w*)\s*(?::\s*(.+))?$/.exec(p);
  if (!m || m[1] === 'self' || m[1] === 'cls') return undefined;
  return m[2] ? { name: m[1]!, type: m[2].trim() } : { name: m[1]! };
}

function javascript(part: string): Param | undefined {
  let p = withoutDefault(part).replace(/^@\w+(\([^)]*\))?\s*/, '');
  p = p.replace(/^(?:(?:public|private|protected|readonly|override)\s+)+/, '');
  const m = /^(\.\.\.)?([A-Za-z_$][\w$]*)\??\s*(?::\s*(.+))?$/.exec(p);
  if (!m || m[2] === 'this') return undefined; // destructured parameters have no single name
  return m[3] ? { name: m[2]!, type: m[3].trim() } : { name: m[2]! };
}

/** Java, C#, C and C++: the name is the last identifier before an array suffix or a default value. */
function cFamily(part: string, language: DocLanguage): Param | undefined {
  let p = withoutDefault(part)
    .replace(/@\w+(\([^)]*\))?\s*/g, '')
    .replace(/\[[^\]]*\]\s*$/, '')
    .trim();
  if (p === 'void' || p === '...' || p === '') return undefined;
  const fnPointer = /\(\s*[*&^]\s*([A-Za-z_]\w*)\s*\)\s*\(/.exec(p);
  if (fnPointer) return { name: fnPointer[1]! };
  if (language === 'csharp') p = p.replace(/^(?:(?:this|ref|out|in|params|scoped)\s+)+/, '');
  const m = /([A-Za-z_]\w*)\s*$/.exec(p);
  if (!m) return undefined;
  const type = p
    .slice(0, m.index)
    .trim()
    .replace(/^final\s+/, '');
  // A lone word is a type without a name (C prototypes: int f(int, char *)), except in Java and C# where it can't be.
  if (!type) return undefined;
  return { name: m[1]!, type };
}

function rust(part: string): Param | undefined {
  const m = /^(?:mut\s+)?([A-Za-z_]\w*)\s*:\s*(.+)$/.exec(part);
  if (!m || m[1] === '_') return undefined;
  return { name: m[1]!, type: m[2]!.trim() };
}

/** Go groups names before a shared type: `a, b int, c string`. */
function goParams(parts: string[]): Param[] {
  const named = parts.some((p) => /^[A-Za-z_]\w*\s+\S/.test(p));
  if (!named) return [];
  const out: Param[] = [];
  let pendingNames: string[] = [];
  for (const p of parts) {
    const m = /^([A-Za-z_]\w*)(?:\s+(.+))?$/.exec(p);
    if (!m) continue;
    if (m[2] === undefined) {
      pendingNames.push(m[1]!);
      continue;
    }
    for (const n of [...pendingNames, m[1]!])
      if (n !== '_') out.push({ name: n, type: m[2].replace(/^\.\.\./, '...') });
    pendingNames = [];
  }
  return out;
}

/** Parameter names (and declared types) of a parameter list's inner text, per language. */
export function extractParams(list: string, language: DocLanguage): Param[] {
  const parts = splitTopLevel(list);
  if (language === 'go') return goParams(parts);
  const one = (p: string): Param | undefined => {
    switch (language) {
      case 'python':
        return python(p);
      case 'javascript':
      case 'typescript':
        return javascript(p);
      case 'rust':
        return rust(p);
      default:
        return cFamily(p, language);
    }
  };
  const out: Param[] = [];
  for (const p of parts) {
    const param = one(p);
    if (param && IDENT.test(param.name.replace(/^\*+/, ''))) out.push(param);
  }
  return out;
}
