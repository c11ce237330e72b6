import type { SourceText } from './locate';
import type { Definition, DocLanguage, ExistingDoc } from './types';

const PY_STRING = /^\s*[rRuUbB]{0,2}("""|'''|"|')/;

/** Python: a string literal as the body's first statement. */
function pythonDocstring(src: SourceText, def: Definition): ExistingDoc | undefined {
  let first = def.headerEndLine + 1;
  while (first < src.lines.length && !src.lines[first]!.trim()) first++;
  if (first > def.endLine || first >= src.lines.length) return undefined;
  const line = src.lines[first]!;
  const m = PY_STRING.exec(line);
  if (!m) return undefined;
  const quote = m[1]!;
  const afterOpen = line.slice(m[0].length);
  if (afterOpen.includes(quote)) return { startLine: first, endLine: first };
  if (quote.length === 1) return undefined;
  for (let l = first + 1; l < src.lines.length; l++)
    if (src.lines[l]!.includes(quote)) return { startLine: first, endLine: l };
  return undefined;
}

/** A doc comment right above the declaration (its decorators included): a block comment opened with a doc marker, or doc line comments. */
function commentAbove(src: SourceText, def: Definition, language: DocLanguage): ExistingDoc | undefined {
  const end = def.declLine - 1;
  if (end < 0) return undefined;
  const last = src.lines[end]!;
  if (language === 'go' || language === 'rust' || language === 'csharp') {
    const marker = language === 'go' ? /^\s*\/\/(?!go:|line |export |nolint)/ : /^\s*\/\/\/(?!\/)/;
    if (!marker.test(last)) return undefined;
    let start = end;
    while (start > 0 && marker.test(src.lines[start - 1]!)) start--;
    return { startLine: start, endLine: end };
  }
  if (!/\*\/\s*$/.test(last)) return undefined;
  for (let l = end; l >= Math.max(0, end - 400); l--) {
    const t = src.lines[l]!;
    if (/\/\*/.test(t)) return /\/\*[*!]/.test(t) && /^\s*\/\*/.test(t) ? { startLine: l, endLine: end } : undefined;
  }
  return undefined;
}

/** The doc comment the definition already has, as whole lines; undefined when it has none. */
export function findExistingDoc(src: SourceText, def: Definition, language: DocLanguage): ExistingDoc | undefined {
  return language === 'python' ? pythonDocstring(src, def) : commentAbove(src, def, language);
}
