import { InfillError } from '../errors';
import { codeMask } from './jsScan';
import type { FunctionHint, LocatedFunction, TestLanguage } from './types';

/** The test language of a file from its extension; undefined for languages Infill does not write tests for. */
export function testLanguageOfPath(file: string): TestLanguage | undefined {
  if (/\.py$/i.test(file)) return 'python';
  if (/\.(ts|mts|cts)$/i.test(file) && !/\.d\.[mc]?ts$/i.test(file)) return 'typescript';
  if (/\.(js|mjs|cjs)$/i.test(file)) return 'javascript';
  return undefined;
}

/** VS Code language ids Generate Tests serves. */
export function testLanguageOfId(languageId: string): TestLanguage | undefined {
  if (languageId === 'python') return 'python';
  if (languageId === 'typescript') return 'typescript';
  if (languageId === 'javascript') return 'javascript';
  return undefined;
}

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length;
const blank = (line: string) => /^\s*(#.*)?$/.test(line);

function notFound(line: number, what: string): InfillError {
  return new InfillError('no-definition', `Line ${line + 1} is not in a ${what}`, 'Put the cursor inside the function to test (or give its line)');
}

/**
 * The function at a 0-based line: the innermost enclosing Python `def` (a nested function gives its top-level
 * function, which tests can import; a method keeps its class), or JavaScript/TypeScript `function`, arrow function
 * bound to a name, or class method. `hints` (the editor's document symbols) replace the scan when they cover the line.
 */
export function locateFunction(text: string, line: number, language: TestLanguage, hints: readonly FunctionHint[] = []): LocatedFunction {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (line < 0 || line >= lines.length) {
    throw new InfillError('position-out-of-range', `Line ${line + 1} is outside the file (it has ${lines.length} lines)`, 'Give a line between 1 and the last line');
  }
  const fromHints = fromSymbolHints(lines, line, language, hints);
  if (fromHints) return fromHints;
  return language === 'python' ? locatePython(lines, line) : locateJs(lines, line, language);
}

function fromSymbolHints(lines: string[], line: number, language: TestLanguage, hints: readonly FunctionHint[]): LocatedFunction | undefined {
  const containing = hints.filter((h) => h.startLine <= line && line <= h.endLine);
  const fn = containing.filter((h) => h.kind !== 'class').sort((a, b) => (a.endLine - a.startLine) - (b.endLine - b.startLine));
  if (!fn.length) return undefined;
  // Tests import top-level functions: the outermost function, unless it sits directly in a class (a method).
  const outer = fn[fn.length - 1]!;
  const cls = containing.filter((h) => h.kind === 'class' && h.startLine <= outer.startLine && outer.endLine <= h.endLine)
    .sort((a, b) => (a.endLine - a.startLine) - (b.endLine - b.startLine))[0];
  const source = lines.slice(outer.startLine, outer.endLine + 1).join('\n');
  const exported = language === 'python' || isExported(lines, outer.name, cls?.name);
  return { name: outer.name, className: cls?.name, language, startLine: outer.startLine, endLine: outer.endLine, source, exported };
}

const PY_DEF = /^([ \t]*)(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)/;
const PY_CLASS = /^([ \t]*)class[ \t]+([A-Za-z_]\w*)/;

/** Last line of a Python block whose header starts at `start`: the header's brackets closed, then every deeper line. */
function pythonBlockEnd(lines: string[], start: number): number {
  // The header ends on the line where its brackets close (a signature may span lines).
  let depth = 0;
  let i = start;
  for (; i < lines.length - 1; i++) {
    for (const ch of lines[i]!.replace(/#.*$/, '')) {
      if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) depth--;
    }
    if (depth <= 0) break;
  }
  const indent = indentOf(lines[start]!);
  let end = i;
  for (let j = end + 1; j < lines.length; j++) {
    if (blank(lines[j]!)) continue;
    if (indentOf(lines[j]!) <= indent) break;
    end = j;
  }
  return end;
}

/** Decorators right above a definition belong to it. */
function withDecorators(lines: string[], start: number): number {
  let s = start;
  while (s > 0 && /^\s*@/.test(lines[s - 1]!)) s--;
  return s;
}

function locatePython(lines: string[], line: number): LocatedFunction {
  const enclosing: { name: string; kind: 'def' | 'class'; start: number; end: number; indent: number }[] = [];
  for (let i = line; i >= 0; i--) {
    const m = PY_DEF.exec(lines[i]!) ?? PY_CLASS.exec(lines[i]!);
    if (!m) continue;
    const indent = indentOf(m[1]!);
    if (enclosing.length && indent >= enclosing[enclosing.length - 1]!.indent) continue;
    const end = pythonBlockEnd(lines, i);
    if (end < line && i !== line) continue;
    enclosing.push({ name: m[2]!, kind: PY_DEF.test(lines[i]!) ? 'def' : 'class', start: i, end, indent });
    if (indent === 0) break;
  }
  // From the outside in: the outermost def, or a def directly in an outermost class.
  const outside = [...enclosing].reverse();
  const first = outside[0];
  if (!first) throw notFound(line, 'function');
  let target = first, className: string | undefined;
  if (first.kind === 'class') {
    const method = outside[1];
    if (!method || method.kind !== 'def') {
      throw new InfillError('no-definition', `Line ${line + 1} is in class ${first.name} but not in one of its methods`, 'Put the cursor inside a method or a function');
    }
    target = method;
    className = first.name;
  }
  const start = withDecorators(lines, target.start);
  return { name: target.name, className, language: 'python', startLine: start, endLine: target.end, source: lines.slice(start, target.end + 1).join('\n'), exported: true };
}

const JS_FUNCTION = /^\s*(export\s+)?(default\s+)?(async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*[<(]/;
const JS_ARROW = /^\s*(export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|(?:<[^>]*>\s*)?\([^)]*\)\s*(?::\s*[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>|\($)/;
const JS_CLASS = /^\s*(export\s+)?(default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/;
const JS_METHOD = /^\s*(?:(?:public|private|protected|static|readonly|override|async)\s+)*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(/;
const NOT_METHODS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'with', 'do', 'else', 'new', 'typeof', 'await', 'super', 'constructor']);

/**
 * The last line of the block a JavaScript/TypeScript definition at `start` opens: where its first `{` closes (braces in
 * strings, template literals and comments do not count), or the statement's end for an expression-bodied arrow.
 */
function jsBlockEnd(lines: string[], start: number): number {
  const text = lines.slice(start).join('\n');
  const mask = codeMask(text);
  let depth = 0, opened = false, line = start;
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    if (c === '\n') {
      // An expression-bodied arrow without a semicolon ends where the next statement starts at the same indentation.
      const next = lines[line + 1];
      if (!opened && line > start && next !== undefined && !blank(next) && indentOf(next) <= indentOf(lines[start]!)) return line;
      line++;
      continue;
    }
    if (!mask[k]) continue;
    if (c === '{') { depth++; opened = true; }
    else if (c === '}') { depth--; if (opened && depth === 0) return line; }
    else if (c === ';' && !opened && depth === 0) return line; // `const f = (x) => x + 1;`
  }
  return lines.length - 1;
}

/** Whether the module exports a name: `export function f`, `export const f`, `export { f }`, `module.exports`, `exports.f`. */
function isExported(lines: string[], name: string, className?: string): boolean {
  const target = className ?? name;
  const text = lines.join('\n');
  const esc = target.replace(/[$]/g, '\\$');
  return new RegExp(`^\\s*export\\s+(default\\s+)?(async\\s+)?(function\\s*\\*?|const|let|var|(abstract\\s+)?class)\\s+${esc}\\b`, 'm').test(text)
    || new RegExp(`export\\s*\\{[^}]*\\b${esc}\\b[^}]*\\}`).test(text)
    || new RegExp(`module\\.exports\\s*=\\s*\\{[^}]*\\b${esc}\\b`).test(text)
    || new RegExp(`module\\.exports\\s*=\\s*${esc}\\b`).test(text)
    || new RegExp(`(module\\.)?exports\\.${esc}\\s*=`).test(text);
}

function locateJs(lines: string[], line: number, language: TestLanguage): LocatedFunction {
  type Def = { name: string; kind: 'function' | 'class' | 'method'; start: number; end: number };
  const enclosing: Def[] = [];
  for (let i = line; i >= 0; i--) {
    const l = lines[i]!;
    let def: Omit<Def, 'end'> | undefined;
    let m;
    if ((m = JS_FUNCTION.exec(l))) def = { name: m[4]!, kind: 'function', start: i };
    else if ((m = JS_ARROW.exec(l))) def = { name: m[2]!, kind: 'function', start: i };
    else if ((m = JS_CLASS.exec(l))) def = { name: m[3]!, kind: 'class', start: i };
    else if ((m = JS_METHOD.exec(l)) && !NOT_METHODS.has(m[1]!) && /\)\s*(:\s*[^{;]+)?\{?\s*$/.test(l)) def = { name: m[1]!, kind: 'method', start: i };
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
    if (d.kind === 'function') { target = d; break; }
    if (d.kind === 'class') {
      const method = outside[k + 1];
      if (method?.kind === 'method') { target = method; className = d.name; }
      break;
    }
  }
  if (!target) throw notFound(line, 'function or method');
  let start = target.start;
  while (start > 0 && /^\s*@/.test(lines[start - 1]!)) start--;
  return {
    name: target.name, className, language, startLine: start, endLine: target.end,
    source: lines.slice(start, target.end + 1).join('\n'), exported: isExported(lines, target.name, className),
  };
}
