import { InfillError } from '../../errors';
import type { LocatedFunction } from '../../harness/types';
import { indentWidth, isBlank, notFound } from '../source';

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
  const indent = indentWidth(lines[start]!);
  let end = i;
  for (let j = end + 1; j < lines.length; j++) {
    if (isBlank(lines[j]!)) continue;
    if (indentWidth(lines[j]!) <= indent) break;
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

/**
 * The innermost enclosing `def` at a 0-based line: a nested function gives its top-level function, which tests can
 * import; a method keeps its class.
 */
export function locatePython(lines: string[], line: number): Omit<LocatedFunction, 'language'> {
  const enclosing: { name: string; kind: 'def' | 'class'; start: number; end: number; indent: number }[] = [];
  for (let i = line; i >= 0; i--) {
    const m = PY_DEF.exec(lines[i]!) ?? PY_CLASS.exec(lines[i]!);
    if (!m) continue;
    const indent = indentWidth(m[1]!);
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
  let target = first,
    className: string | undefined;
  if (first.kind === 'class') {
    const method = outside[1];
    if (!method || method.kind !== 'def') {
      throw new InfillError(
        'no-definition',
        `Line ${line + 1} is in class ${first.name} but not in one of its methods`,
        'Put the cursor inside a method or a function',
      );
    }
    target = method;
    className = first.name;
  }
  const start = withDecorators(lines, target.start);
  return {
    name: target.name,
    className,
    startLine: start,
    endLine: target.end,
    source: lines.slice(start, target.end + 1).join('\n'),
    exported: true,
  };
}
