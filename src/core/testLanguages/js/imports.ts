/** A top-level import line of JavaScript/TypeScript: `import ...` or `const ... = require(...)`. */
export const JS_IMPORT_LINE = /^(import\s|const\s+.*=\s*require\()/;

/** The names an import line declares (`import { a as b } from 'm'` -> b; `const { p } = require(...)` -> p). */
export function jsImportedNames(line: string): string[] {
  const names: string[] = [];
  const braces = /\{([^}]*)\}/.exec(line);
  if (braces)
    for (const part of braces[1]!.split(',')) {
      const n = part
        .split(/\s+as\s+|:/)
        .pop()
        ?.trim();
      if (n) names.push(n);
    }
  const def = /^import\s+([A-Za-z_$][\w$]*)/.exec(line) ?? /^(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/.exec(line);
  if (def) names.push(def[1]!);
  const ns = /\*\s+as\s+([A-Za-z_$][\w$]*)/.exec(line);
  if (ns) names.push(ns[1]!);
  return names;
}

/** Names a JavaScript/TypeScript file declares at top level: imports, requires, consts, functions, classes. */
export function topLevelNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    if (JS_IMPORT_LINE.test(line)) for (const n of jsImportedNames(line)) names.add(n);
    const decl = /^(?:export\s+)?(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/.exec(line);
    if (decl) names.add(decl[1]!);
  }
  return names;
}

/**
 * A JavaScript import line without the names the file already declares (declaring one twice is a SyntaxError that
 * would break the user's test file): dropped when it brings nothing new, its braces narrowed when it brings some.
 */
export function withoutDeclared(line: string, declared: ReadonlySet<string>): string | undefined {
  const names = jsImportedNames(line);
  const fresh = names.filter((n) => !declared.has(n));
  if (fresh.length === names.length) return line;
  if (fresh.length === 0) return undefined;
  const braces = /\{([^}]*)\}/.exec(line);
  if (!braces || /^import\s+[A-Za-z_$]|\*\s+as\s/.test(line) || /^(?:const|let|var)\s+[A-Za-z_$]/.test(line))
    return undefined;
  const kept = braces[1]!
    .split(',')
    .map((p) => p.trim())
    .filter(
      (p) =>
        p &&
        fresh.includes(
          p
            .split(/\s+as\s+|:/)
            .pop()!
            .trim(),
        ),
    );
  return line.replace(braces[0], `{ ${kept.join(', ')} }`);
}
