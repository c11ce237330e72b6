import * as path from 'node:path';
import { testLanguage } from '../testLanguages';
import type { CandidateTest } from './candidates';
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
  const spec = testLanguage(language).module;
  spec.checkFileName?.(fileName);
  return { language, fileName, esm: spec.isEsModule(fileName, moduleText) };
}

/** The conventional test file beside the module: `test_<module>.py`, `<name>.test.ts`, `<name>.test.js`. */
export function conventionalTestPath(modulePath: string, language: TestLanguage): string {
  return path.join(path.dirname(modulePath), testLanguage(language).testFile.name(path.basename(modulePath)));
}

/** The import of the function (or its class) under test, as the test file writes it. */
export function importLine(fn: Pick<LocatedFunction, 'name' | 'className'>, mod: ModuleRef): string {
  return testLanguage(mod.language).module.importLine(fn.className ?? fn.name, mod);
}

/** The test framework's imports: node:test and node:assert for JavaScript/TypeScript, pytest for Python. */
export function frameworkImports(mod: ModuleRef): string[] {
  return testLanguage(mod.language).testFile.frameworkImports(mod);
}

/** Whether two import lines bring in the same names (so the model's own copy of ours is dropped). */
function importKey(line: string): string {
  return line.replace(/\s+/g, ' ').replace(/;$/, '').replace(/"/g, "'").trim();
}

/**
 * A whole test file: the module import, the framework's, the imports the tests' samples used (once each), then the
 * tests. Python tests with the same name get a numeric suffix, so none hides another.
 */
export function composeTestFile(
  fn: Pick<LocatedFunction, 'name' | 'className'>,
  mod: ModuleRef,
  tests: readonly Pick<CandidateTest, 'code' | 'imports' | 'name' | 'testClass'>[],
): string {
  const spec = testLanguage(mod.language).testFile;
  const framework = spec.frameworkImportsFor(mod, tests);
  const header = [importLine(fn, mod), ...framework];
  const seen = new Set(header.map(importKey));
  const keeps = spec.sampleImportFilter(fn, mod, framework);
  for (const t of tests) {
    for (const imp of t.imports) {
      const key = importKey(imp);
      if (seen.has(key) || !keeps(imp, key)) continue;
      seen.add(key);
      header.push(imp);
    }
  }
  const gap = spec.blockGap;
  return `${header.join('\n')}${gap}${spec
    .bodies(tests)
    .map((b) => b.trimEnd())
    .join(gap)}\n`;
}

/** What to put after `before` so the next block starts after `gap` (the blank lines it already ends with count). */
function separator(before: string, gap: string): string {
  if (before === '') return '';
  for (let n = gap.length; n > 0; n--) if (before.endsWith(gap.slice(0, n))) return gap.slice(n);
  return gap;
}

/**
 * Where and what to insert to add a generated test file's tests to an existing one: the imports it lacks, then the
 * tests, at the end, or (Python) before a closing `if __name__ == '__main__':` block, which must stay last. Python
 * tests and classes whose names the file already defines get a numeric suffix, so they hide none of its tests.
 */
export function appendInsertion(
  existing: string,
  generatedFile: string,
  language: TestLanguage = 'python',
): { at: number; text: string } {
  const spec = testLanguage(language);
  const { appending, blockGap } = spec.testFile;
  const isImportLine = (l: string) => spec.syntax.importLine.test(l);
  const generated = appending.renameClashes?.(existing, generatedFile) ?? generatedFile;
  const have = new Set(existing.split('\n').map((l) => l.trim()));
  const lines = generated.split('\n');
  const importsEnd = firstNonImport(lines, isImportLine);
  const importFilter = appending.importFilter?.(existing) ?? ((l: string) => l);
  const body = lines
    .map((l, i) => (i > importsEnd || !isImportLine(l) ? l : have.has(l.trim()) ? undefined : importFilter(l)))
    .filter((l): l is string => l !== undefined)
    .join('\n')
    .replace(/^\n+/, '');
  const last = appending.lastBlockStart?.(existing) ?? -1;
  if (last >= 0)
    return { at: last, text: `${separator(existing.slice(0, last), blockGap)}${body.trimEnd()}${blockGap}` };
  return { at: existing.length, text: `${separator(existing, blockGap)}${body}` };
}

/** The text of a test file with new tests appended to an existing one (see appendInsertion). */
export function appendToTestFile(existing: string, generatedFile: string, language: TestLanguage = 'python'): string {
  const { at, text } = appendInsertion(existing, generatedFile, language);
  return existing.slice(0, at) + text + existing.slice(at);
}

function firstNonImport(lines: string[], isImportLine: (line: string) => boolean): number {
  const i = lines.findIndex((l) => l.trim() !== '' && !isImportLine(l));
  return i < 0 ? lines.length : i;
}
