import type { LocatedFunction } from '../../harness/types';
import { indentWidth, isBlank, notFound } from '../source';
import { codeMask } from './scan';

const JS_FUNCTION = /^\s*(export\s+)?(default\s+)?(async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*[<(]/;
const JS_ARROW =
  /^\s*(export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|(?:<[^>]*>\s*)?\([^)]*\)\s*(?::\s*[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>|\($)/;
const JS_CLASS = /^\s*(export\s+)?(default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/;
const JS_METHOD =
  /^\s*(?:(?:public|private|protected|static|readonly|override|async)\s+)*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(/;
const NOT_METHODS = new Set([
  'if',
  'for',
  'while',
  'switch',
  'catch',
  'function',
  'return',
  'with',
  'do',
  'else',
  'new',
  'typeof',
  'await',
  'super',
  'constructor',
]);

/**
 * The last line of the block a JavaScript/TypeScript definition at `start` opens: where its first `{` closes (braces in
 * strings, template literals and comments do not count), or the statement's end for an expression-bodied arrow.
 */
function jsBlockEnd(lines: string[], start: number): number {
  const text = lines.slice(start).join('\n');
  const mask = codeMask(text);
  let depth = 0,
    opened = false,
    line = start;
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    if (c === '\n') {
      // An expression-bodied arrow without a semicolon ends where the next statement starts at the same indentation.
      const next = lines[line + 1];
      if (
        !opened &&
        line > start &&
        next !== undefined &&
        !isBlank(next) &&
        indentWidth(next) <= indentWidth(lines[start]!)
      )
        return line;
      line++;
      continue;
    }
    if (!mask[k]) continue;
    if (c === '{') {
      depth++;
      opened = true;
    } else if (c === '}') {
      depth--;
      if (opened && depth === 0) return line;
    } else if (c === ';' && !opened && depth === 0) return line; // `const f = (x) => x + 1;`
  }
  return lines.length - 1;
}

/** Whether the module exports a name: `export function f`, `export const f`, `export { f }`, `module.exports`, `exports.f`. */
export function isExported(lines: string[], name: string, className?: string): boolean {
  const target = className ?? name;
  const text = lines.join('\n');
  const esc = target.replace(/[$]/g, '\\$');
  return (
    new RegExp(
      `^\\s*export\\s+(default\\s+)?(async\\s+)?(function\\s*\\*?|const|let|var|(abstract\\s+)?class)\\s+${esc}\\b`,
      'm',
    ).test(text) ||
    new RegExp(`export\\s*\\{[^}]*\\b${esc}\\b[^}]*\\}`).test(text) ||
    new RegExp(`module\\.exports\\s*=\\s*\\{[^}]*\\b${esc}\\b`).test(text) ||
    new RegExp(`module\\.exports\\s*=\\s*${esc}\\b`).test(text) ||
    new RegExp(`(module\\.)?exports\\.${esc}\\s*=`).test(text)
  );
}

/** The `function`, arrow function bound to a name, or class method at a 0-based line (the outermost one). */
export function locateJs(lines: string[], line: number): Omit<LocatedFunction, 'language'> {
  type Def = { name: string; kind: 'function' | 'class' | 'method'; start: number; end: number };
  const enclosing: Def[] = [];
  for (let i = line; i >= 0; i--) {
    const l = lines[i]!;
    let def: Omit<Def, 'end'> | undefined;
    let m;
    if ((m = JS_FUNCTION.exec(l))) def = { name: m[4]!, kind: 'function', start: i };
    else if ((m = JS_ARROW.exec(l))) def = { name: m[2]!, kind: 'function', start: i };
    else if ((m = JS_CLASS.exec(l))) def = { name: m[3]!, kind: 'class', start: i };
    else if ((m = JS_METHOD.exec(l)) && !NOT_METHODS.has(m[1]!) && /\)\s*(:\s*[^{;]+)?\{?\s*$/.test(l))
      def = { name: m[1]!, kind: 'method', start: i };
    if (!def) continue;
    const end = jsBlockEnd(lines, i);
    if (end < line) continue;
    enclosing.push({ ...def, end });
  }
  // Outermost first; a method counts only when directly inside a class.
  const outside = [...enclosing].reverse();
  let target: Def | undefined, className: string | undefined;
  for (let k = 0; k < outside.length; k++) {
    const d = outside[k]!;
    if (d.kind === 'function') {
      target = d;
      break;
    }
    if (d.kind === 'class') {
      const method = outside[k + 1];
      if (method?.kind === 'method') {
        target = method;
        className = d.name;
      }
      break;
    }
  }
  if (!target) throw notFound(line, 'function or method');
  let start = target.start;
  while (start > 0 && /^\s*@/.test(lines[start - 1]!)) start--;
  return {
    name: target.name,
    className,
    startLine: start,
    endLine: target.end,
    source: lines.slice(start, target.end + 1).join('\n'),
    exported: isExported(lines, target.name, className),
  };
}
