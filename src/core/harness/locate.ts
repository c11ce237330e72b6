import { InfillError } from '../errors';
import { testLanguage } from '../testLanguages';
import type { FunctionHint, LocatedFunction, TestLanguage } from './types';

export { testLanguageOfId, testLanguageOfPath } from '../testLanguages';

/**
 * The function at a 0-based line: the innermost enclosing Python `def` (a nested function gives its top-level
 * function, which tests can import; a method keeps its class), or JavaScript/TypeScript `function`, arrow function
 * bound to a name, or class method. `hints` (the editor's document symbols) replace the scan when they cover the line.
 */
export function locateFunction(
  text: string,
  line: number,
  language: TestLanguage,
  hints: readonly FunctionHint[] = [],
): LocatedFunction {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (line < 0 || line >= lines.length) {
    throw new InfillError(
      'position-out-of-range',
      `Line ${line + 1} is outside the file (it has ${lines.length} lines)`,
      'Give a line between 1 and the last line',
    );
  }
  const fromHints = fromSymbolHints(lines, line, language, hints);
  if (fromHints) return fromHints;
  return { ...testLanguage(language).locate.functionAt(lines, line), language };
}

function fromSymbolHints(
  lines: string[],
  line: number,
  language: TestLanguage,
  hints: readonly FunctionHint[],
): LocatedFunction | undefined {
  const containing = hints.filter((h) => h.startLine <= line && line <= h.endLine);
  const fn = containing
    .filter((h) => h.kind !== 'class')
    .sort((a, b) => a.endLine - a.startLine - (b.endLine - b.startLine));
  if (!fn.length) return undefined;
  // Tests import top-level functions: the outermost function, unless it sits directly in a class (a method).
  const outer = fn[fn.length - 1]!;
  const cls = containing
    .filter((h) => h.kind === 'class' && h.startLine <= outer.startLine && outer.endLine <= h.endLine)
    .sort((a, b) => a.endLine - a.startLine - (b.endLine - b.startLine))[0];
  const source = lines.slice(outer.startLine, outer.endLine + 1).join('\n');
  const exported = testLanguage(language).locate.isExported(lines, outer.name, cls?.name);
  return {
    name: outer.name,
    className: cls?.name,
    language,
    startLine: outer.startLine,
    endLine: outer.endLine,
    source,
    exported,
  };
}
