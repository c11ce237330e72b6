import * as path from 'node:path';
import { InfillError } from '../errors';
import { importedNames, type CandidateTest } from './candidates';
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
export function composeTestFile(fn: Pick<LocatedFunction, 'name' | 'className'>, mod: ModuleRef, tests: readonly Pick<CandidateTest, 'code' | 'imports' | 'name'>[]): string {
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
  const names = new Map<string, number>();
  const bodies = tests.map((t) => {
    if (mod.language !== 'python') return t.code;
    const count = (names.get(t.name) ?? 0) + 1;
    names.set(t.name, count);
    return count === 1 ? t.code : t.code.replace(new RegExp(`^(\\s*def\\s+)${t.name}\\b`, 'm'), `$1${t.name}_${count}`);
  });
  const gap = mod.language === 'python' ? '\n\n\n' : '\n\n';
  return `${header.join('\n')}${gap}${bodies.map((b) => b.trimEnd()).join(gap)}\n`;
}

/** The text of a test file with new tests appended to an existing one (imports it lacks go at the end too, before the tests). */
export function appendToTestFile(existing: string, generatedFile: string): string {
  const have = new Set(existing.split('\n').map((l) => l.trim()));
  const lines = generatedFile.split('\n');
  const out = lines.filter((l, i) => !(isImportLine(l) && have.has(l.trim())) || i > firstNonImport(lines));
  const sep = existing.endsWith('\n\n') ? '\n' : existing.endsWith('\n') ? '\n\n' : '\n\n\n';
  return `${existing}${sep}${out.join('\n').replace(/^\n+/, '')}`;
}

const isImportLine = (l: string) => /^(import\s|from\s+\S+\s+import\s|const\s+.*=\s*require\()/.test(l);
function firstNonImport(lines: string[]): number {
  const i = lines.findIndex((l) => l.trim() !== '' && !isImportLine(l));
  return i < 0 ? lines.length : i;
}
