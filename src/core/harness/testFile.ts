import * as path from 'node:path';
import { InfillError } from '../errors';
import { classCode, importedNames, type CandidateTest } from './candidates';
import type { LocatedFunction, TestLanguage } from './types';

/** How a test file reaches the module under test. */
export interface ModuleRef {
  language: TestLanguage;
  /** The module's file name (`geometry.py`, `area.ts`). */
  fileName: string;
  /** JavaScript: the module is an ES module (`export`/`import`), not CommonJS. */
  esm: boolean;
}

export function moduleRef(modulePath: string, moduleText: string, language: TestLanguage): ModuleRef {
  const fileName = path.basename(modulePath);
  if (language === 'python' && !/^[A-Za-z_]\w*\.py$/i.test(fileName)) {
    throw new InfillError('bad-arguments', `${fileName} cannot be imported by a test: its name is not a Python module name`,
      'Rename the file to letters, digits and underscores (e.g. my_module.py)');
  }
  const esm = language === 'typescript' || /\.mjs$/i.test(fileName) || (!/\.cjs$/i.test(fileName) && /^\s*(export\s|import\s[^(])/m.test(moduleText));
  return { language, fileName, esm };
}

const stemOf = (fileName: string) => fileName.replace(/\.[^.]+$/, '');

/** The conventional test file beside the module: `test_<module>.py`, `<name>.test.ts`, `<name>.test.js`. */
export function conventionalTestPath(modulePath: string, language: TestLanguage): string {
  const dir = path.dirname(modulePath);
  const base = path.basename(modulePath);
  if (language === 'python') return path.join(dir, `test_${base}`);
  const ext = path.extname(base);
  return path.join(dir, `${stemOf(base)}.test${ext}`);
}

/** The import of the function (or its class) under test, as the test file writes it. */
export function importLine(fn: Pick<LocatedFunction, 'name' | 'className'>, mod: ModuleRef): string {
  const name = fn.className ?? fn.name;
  const stem = stemOf(mod.fileName);
  if (mod.language === 'python') return `from ${stem} import ${name}`;
  if (mod.language === 'typescript') return `import { ${name} } from './${stem}';`;
  return mod.esm ? `import { ${name} } from './${mod.fileName}';` : `const { ${name} } = require('./${mod.fileName}');`;
}

/** The test framework's imports: node:test and node:assert for JavaScript/TypeScript, pytest for Python. */
export function frameworkImports(mod: ModuleRef): string[] {
  if (mod.language === 'python') return ['import pytest'];
  return mod.esm
    ? ["import { test } from 'node:test';", "import assert from 'node:assert/strict';"]
    : ["const { test } = require('node:test');", "const assert = require('node:assert/strict');"];
}

/** Whether two import lines bring in the same names (so the model's own copy of ours is dropped). */
function importKey(line: string): string {
  return line.replace(/\s+/g, ' ').replace(/;$/, '').replace(/"/g, "'").trim();
}

/**
 * A whole test file: the module import, the framework's, the imports the tests' samples used (once each), then the
 * tests. Python tests with the same name get a numeric suffix, so none hides another.
 */
export function composeTestFile(fn: Pick<LocatedFunction, 'name' | 'className'>, mod: ModuleRef, tests: readonly Pick<CandidateTest, 'code' | 'imports' | 'name' | 'testClass'>[]): string {
  // Python: pytest only where a test uses it (the sandbox also runs plain test functions without pytest).
  const framework = mod.language === 'python' ? (tests.some((t) => /\bpytest\./.test(t.code)) ? ['import pytest'] : []) : frameworkImports(mod);
  const header = [importLine(fn, mod), ...framework];
  const seen = new Set(header.map(importKey));
  const declared = new Set<string>(['test', 'assert', fn.className ?? fn.name]);
  for (const t of tests) {
    for (const imp of t.imports) {
      const key = importKey(imp);
      if (seen.has(key)) continue;
      if (mod.language === 'python' && key === 'import pytest' && !framework.length) continue;
      // JavaScript may not declare a name twice: leave out a model's import of `test`/`assert`/the function again.
      if (mod.language !== 'python') {
        const names = importedNames('javascript', imp);
        if (names.some((n) => declared.has(n))) continue;
        names.forEach((n) => declared.add(n));
        // A require() in an ES module (or an import in CommonJS) would not load.
        if (mod.esm !== /^import\b/.test(imp)) continue;
      }
      seen.add(key);
      header.push(imp);
    }
  }
  const bodies = mod.language === 'python' ? pythonBodies(tests) : tests.map((t) => t.code);
  const gap = mod.language === 'python' ? '\n\n\n' : '\n\n';
  return `${header.join('\n')}${gap}${bodies.map((b) => b.trimEnd()).join(gap)}\n`;
}

/** A name not yet taken: `name`, else `name_2`, `name_3`... (and marks it taken). */
function freeName(name: string, taken: Set<string>): string {
  let out = name;
  for (let n = 2; taken.has(out); n++) out = `${name}_${n}`;
  taken.add(out);
  return out;
}

const renameDef = (code: string, from: string, to: string) => (from === to ? code : code.replace(new RegExp(`^(\\s*def\\s+)${from}\\b`, 'm'), `$1${to}`));

/**
 * Python test functions and classes in order. Test methods of the same class (same name, same setUp and helpers) go
 * back into one class; a same-named class with other members, or a same-named test, gets a numeric suffix, so none
 * hides another.
 */
function pythonBodies(tests: readonly Pick<CandidateTest, 'code' | 'name' | 'testClass'>[]): string[] {
  const taken = new Set<string>();
  const groups = new Map<string, { name: string; header: string; preamble: string; methods: string[]; names: Set<string>; at: number }>();
  const bodies: (string | { group: string })[] = [];
  for (const t of tests) {
    const c = t.testClass;
    if (!c) {
      bodies.push(renameDef(t.code, t.name, freeName(t.name, taken)));
      continue;
    }
    const key = `${c.name}\n${c.header}\n${c.preamble}`;
    let group = groups.get(key);
    if (!group) {
      const name = freeName(c.name, taken);
      group = { name, header: name === c.name ? c.header : c.header.replace(new RegExp(`^(\\s*class\\s+)${c.name}\\b`, 'm'), `$1${name}`), preamble: c.preamble, methods: [], names: new Set(), at: bodies.length };
      groups.set(key, group);
      bodies.push({ group: key });
    }
    group.methods.push(renameDef(c.methodCode, c.method, freeName(c.method, group.names)));
  }
  return bodies.map((b) => {
    if (typeof b === 'string') return b;
    const g = groups.get(b.group)!;
    return classCode({ header: g.header, preamble: g.preamble, methodCode: g.methods });
  });
}

/**
 * Where and what to insert to add a generated test file's tests to an existing one: the imports it lacks, then the
 * tests, at the end, or (Python) before a closing `if __name__ == '__main__':` block, which must stay last. Python
 * tests and classes whose names the file already defines get a numeric suffix, so they hide none of its tests.
 */
export function appendInsertion(existing: string, generatedFile: string, language: TestLanguage = 'python'): { at: number; text: string } {
  let generated = generatedFile;
  if (language === 'python') {
    const taken = new Set([...existing.matchAll(/^(?:async\s+)?(?:def|class)\s+(\w+)/gm)].map((m) => m[1]!));
    generated = generated.replace(/^((?:async\s+)?(?:def|class)\s+)(\w+)/gm, (_, head: string, name: string) => `${head}${freeName(name, taken)}`);
  }
  const have = new Set(existing.split('\n').map((l) => l.trim()));
  const lines = generated.split('\n');
  const importsEnd = firstNonImport(lines);
  const declared = language === 'python' ? new Set<string>() : topLevelNames(existing);
  const body = lines
    .map((l, i) => (i > importsEnd || !isImportLine(l) ? l : have.has(l.trim()) ? undefined : language === 'python' ? l : withoutDeclared(l, declared)))
    .filter((l): l is string => l !== undefined).join('\n').replace(/^\n+/, '');
  const main = language === 'python' ? mainBlockStart(existing) : -1;
  const gap = (before: string) => (before === '' ? '' : before.endsWith('\n\n\n') ? '' : before.endsWith('\n\n') ? '\n' : before.endsWith('\n') ? '\n\n' : '\n\n\n');
  if (main >= 0) return { at: main, text: `${gap(existing.slice(0, main))}${body.trimEnd()}\n\n\n` };
  const sep = language === 'python' ? gap(existing) : existing.endsWith('\n\n') || existing === '' ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
  return { at: existing.length, text: `${sep}${body}` };
}

/** The text of a test file with new tests appended to an existing one (see appendInsertion). */
export function appendToTestFile(existing: string, generatedFile: string, language: TestLanguage = 'python'): string {
  const { at, text } = appendInsertion(existing, generatedFile, language);
  return existing.slice(0, at) + text + existing.slice(at);
}

/** The offset of a last top-level `if __name__ == '__main__':` block (nothing top-level after it), or -1. */
function mainBlockStart(text: string): number {
  const blocks = [...text.matchAll(/^if\s+__name__\s*==\s*(['"])__main__\1\s*:/gm)];
  const last = blocks[blocks.length - 1];
  if (!last) return -1;
  const after = text.slice(last.index).split('\n').slice(1);
  return after.some((l) => l.trim() && !/^\s/.test(l) && !l.startsWith('#')) ? -1 : last.index;
}

/** Names a JavaScript/TypeScript file declares at top level: imports, requires, consts, functions, classes. */
function topLevelNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    if (isImportLine(line)) for (const n of importedNames('javascript', line)) names.add(n);
    const decl = /^(?:export\s+)?(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/.exec(line);
    if (decl) names.add(decl[1]!);
  }
  return names;
}

/**
 * A JavaScript import line without the names the file already declares (declaring one twice is a SyntaxError that
 * would break the user's test file): dropped when it brings nothing new, its braces narrowed when it brings some.
 */
function withoutDeclared(line: string, declared: ReadonlySet<string>): string | undefined {
  const names = importedNames('javascript', line);
  const fresh = names.filter((n) => !declared.has(n));
  if (fresh.length === names.length) return line;
  if (fresh.length === 0) return undefined;
  const braces = /\{([^}]*)\}/.exec(line);
  if (!braces || /^import\s+[A-Za-z_$]|\*\s+as\s/.test(line) || /^(?:const|let|var)\s+[A-Za-z_$]/.test(line)) return undefined;
  const kept = braces[1]!.split(',').map((p) => p.trim()).filter((p) => p && fresh.includes(p.split(/\s+as\s+|:/).pop()!.trim()));
  return line.replace(braces[0], `{ ${kept.join(', ')} }`);
}

const isImportLine = (l: string) => /^(import\s|from\s+\S+\s+import\s|const\s+.*=\s*require\()/.test(l);
function firstNonImport(lines: string[]): number {
  const i = lines.findIndex((l) => l.trim() !== '' && !isImportLine(l));
  return i < 0 ? lines.length : i;
}
