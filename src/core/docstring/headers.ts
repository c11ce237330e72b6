import type { DocLanguage } from './types';

/** A line that declares a function, method or class: what it is called and where its name sits on the line. */
export interface HeaderMatch {
  kind: 'function' | 'class';
  name: string;
  /** Character range of the name on the line. */
  nameStart: number;
  nameEnd: number;
  /** Methods and C-family functions must have a body (or end in `;`) to tell them from calls; see locate.ts. */
  needsBody: boolean;
  /** `const f = (...) =>`: must turn out to be an arrow function or a function expression. */
  arrow: boolean;
}

const KEYWORDS = new Set([
  'if',
  'for',
  'while',
  'switch',
  'catch',
  'return',
  'function',
  'typeof',
  'await',
  'new',
  'super',
  'this',
  'sizeof',
  'delete',
  'throw',
  'using',
  'lock',
  'foreach',
  'nameof',
  'fixed',
  'else',
  'do',
  'case',
  'default',
  'yield',
  'with',
  'import',
  'require',
  'synchronized',
  'assert',
  'defined',
  'elif',
]);

const RE = {
  python: /^\s*(?:async\s+)?(def|class)\s+([A-Za-z_]\w*)/,
  jsFunction: /^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/,
  jsClass: /^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:class|interface)\s+([A-Za-z_$][\w$]*)/,
  jsArrow:
    /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\(|[A-Za-z_$][\w$]*\s*=>)/,
  jsMethod:
    /^\s*(?:(?:public|private|protected|static|async|readonly|override|abstract|get|set|declare)\s+)*\*?\s*(#?[A-Za-z_$][\w$]*)\s*(?:<[^()]*>)?\s*\(/,
  cClass:
    /^\s*(?:(?:public|private|protected|internal|static|final|abstract|sealed|partial|readonly|export|unsafe|strictfp|non-sealed)\s+)*(?:class|struct|interface|enum|record|union)\s+([A-Za-z_]\w*)/,
  cFunction: /^\s*(.*?)\b(~?[A-Za-z_]\w*(?:::~?[A-Za-z_]\w*)*)\s*(?:<[^()]*>)?\s*\(/,
  goFunc: /^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*\(/,
  goType: /^type\s+([A-Za-z_]\w*)\s+(?:\[[^\]]*\]\s*)?(?:struct|interface)\b/,
  rustFn: /^\s*(?:pub(?:\([^)]*\))?\s+)?(?:(?:const|async|unsafe|default|extern\s+"[^"]*")\s+)*fn\s+([A-Za-z_]\w*)/,
  rustType: /^\s*(?:pub(?:\([^)]*\))?\s+)?(?:struct|enum|trait|union|type)\s+([A-Za-z_]\w*)/,
};

function found(
  line: string,
  m: RegExpExecArray,
  name: string,
  kind: 'function' | 'class',
  needsBody = false,
  arrow = false,
): HeaderMatch {
  const nameStart = line.lastIndexOf(name, m.index + m[0].length);
  return { kind, name, nameStart, nameEnd: nameStart + name.length, needsBody, arrow };
}

/** Whether the words before a C-family function name can be a return type and modifiers (and not a call or a statement). */
function looksLikeReturnType(before: string, name: string): boolean {
  const words = before.trim();
  if (!words) return name.includes('::'); // C++ out-of-class definitions: Foo::Foo(int a)
  if (!/^[\w\s<>[\],.?*&:@~]*$/.test(words)) return false;
  const first = /^\w+/.exec(words)?.[0];
  return !(
    first &&
    ['return', 'else', 'new', 'throw', 'await', 'case', 'goto', 'delete', 'yield', 'using', 'var', 'let'].includes(
      first,
    )
  );
}

/** The declaration on one line (without its line break), per language; undefined when the line declares nothing. */
export function matchHeader(line: string, language: DocLanguage): HeaderMatch | undefined {
  let m: RegExpExecArray | null;
  switch (language) {
    case 'python':
      return (m = RE.python.exec(line)) ? found(line, m, m[2]!, m[1] === 'class' ? 'class' : 'function') : undefined;
    case 'javascript':
    case 'typescript':
      if ((m = RE.jsFunction.exec(line))) return found(line, m, m[1]!, 'function');
      if ((m = RE.jsClass.exec(line))) return found(line, m, m[1]!, 'class');
      if ((m = RE.jsArrow.exec(line))) return found(line, m, m[1]!, 'function', false, true);
      if ((m = RE.jsMethod.exec(line)) && !KEYWORDS.has(m[1]!)) return found(line, m, m[1]!, 'function', true);
      return undefined;
    case 'go':
      if ((m = RE.goFunc.exec(line))) return found(line, m, m[1]!, 'function');
      if ((m = RE.goType.exec(line))) return found(line, m, m[1]!, 'class');
      return undefined;
    case 'rust':
      if ((m = RE.rustFn.exec(line))) return found(line, m, m[1]!, 'function');
      if ((m = RE.rustType.exec(line))) return found(line, m, m[1]!, 'class');
      return undefined;
    default: {
      if ((m = RE.cClass.exec(line))) return found(line, m, m[1]!, 'class');
      if ((m = RE.cFunction.exec(line))) {
        const name = m[2]!;
        const last = name.split('::').pop()!.replace(/^~/, '');
        if (KEYWORDS.has(last) || !looksLikeReturnType(m[1]!, name)) return undefined;
        return found(line, m, name, 'function', true);
      }
      return undefined;
    }
  }
}

/** Decorators, annotations and attributes: lines above a declaration that belong to it. */
export function isDecoratorLine(line: string, language: DocLanguage): boolean {
  switch (language) {
    case 'python':
    case 'javascript':
    case 'typescript':
    case 'java':
      return /^\s*@[\w.]/.test(line);
    case 'rust':
      return /^\s*#!?\[/.test(line);
    case 'csharp':
      return /^\s*\[.*\]\s*$/.test(line);
    case 'cpp':
      return /^\s*template\s*<.*>\s*$/.test(line) || /^\s*\[\[.*\]\]\s*$/.test(line);
    default:
      return false;
  }
}
