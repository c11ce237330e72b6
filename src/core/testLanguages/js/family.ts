import * as path from 'node:path';
import type { CandidateRunSpec, CandidateSpec, LocateSpec, PromptSpec, TestFileSpec } from '../spec';
import { stemOf } from '../source';
import { jsImportedNames, topLevelNames, withoutDeclared } from './imports';
import { isExported, locateJs } from './locate';
import { parseJsTests } from './parse';
import { ranTest } from './runner';
import { stripJsComments } from './scan';

// What JavaScript and TypeScript share: the same syntax for tests, node:test and node:assert, `node --test`.

export const JS_LOCATE: LocateSpec = { functionAt: locateJs, isExported };

export const JS_CANDIDATES: CandidateSpec = {
  parse: parseJsTests,
  importedNames: jsImportedNames,
  normalize: (code) => stripJsComments(code).replace(/^(\s*(?:test|it)\s*\(\s*)(['"`])(?:\\.|(?!\2).)*\2/, '$1""'),
  assertion: /\bassert(\.\w+)?\s*\(|\bexpect\s*\(|\bassert\s*\./,
};

const frameworkImports: TestFileSpec['frameworkImports'] = (mod) =>
  mod.esm
    ? ["import { test } from 'node:test';", "import assert from 'node:assert/strict';"]
    : ["const { test } = require('node:test');", "const assert = require('node:assert/strict');"];

export const JS_TEST_FILE: TestFileSpec = {
  name: (moduleFileName) => `${stemOf(moduleFileName)}.test${path.extname(moduleFileName)}`,
  pattern: /\.(test|spec)\.[cm]?[jt]s$/,
  frameworkImports,
  frameworkImportsFor: frameworkImports,
  sampleImportFilter(fn, mod) {
    // JavaScript may not declare a name twice: leave out a model's import of `test`/`assert`/the function again.
    const declared = new Set<string>(['test', 'assert', fn.className ?? fn.name]);
    return (line) => {
      const names = jsImportedNames(line);
      if (names.some((n) => declared.has(n))) return false;
      names.forEach((n) => declared.add(n));
      // A require() in an ES module (or an import in CommonJS) would not load.
      return mod.esm === /^import\b/.test(line);
    };
  },
  bodies: (tests) => tests.map((t) => t.code),
  blockGap: '\n\n',
  appending: {
    importFilter(existing) {
      const declared = topLevelNames(existing);
      return (line) => withoutDeclared(line, declared);
    },
  },
};

export const JS_PROMPT: PromptSpec = {
  instructStyle:
    "Write each test as a separate `test('...', () => { ... })` call of node:test, using node:assert/strict.",
  completionOpening: (fn) => `test('${fn.className ? `${fn.className}.${fn.name}` : fn.name}`,
  completionStops: [],
};

/** node --test's output names the tests that ran: the first run is the build check. */
export const JS_CANDIDATE_RUN: CandidateRunSpec = { ranTest };
