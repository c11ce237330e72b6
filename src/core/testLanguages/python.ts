import { InfillError } from '../errors';
import { pythonDriver } from './python/driver';
import { locatePython } from './python/locate';
import { parsePythonTests, pythonImportedNames } from './python/parse';
import { pythonRunner } from './python/runner';
import { mainBlockStart, pythonBodies, renameClashes } from './python/testFile';
import { stemOf } from './source';
import type { TestLanguageSpec } from './spec';

/** Python: pytest-style test functions (and unittest classes), run with pytest when installed, else Infill's driver. */
export const python: TestLanguageSpec = {
  name: 'Python',
  extension: '.py',
  sourceFile: /\.py$/i,
  vscodeLanguageIds: ['python'],
  syntax: { fence: 'python', lineComment: '#', importLine: /^(import\s|from\s+\S+\s+import\s)/ },
  locate: { functionAt: locatePython, isExported: () => true },
  module: {
    checkFileName(fileName) {
      if (!/^[A-Za-z_]\w*\.py$/i.test(fileName)) {
        throw new InfillError(
          'bad-arguments',
          `${fileName} cannot be imported by a test: its name is not a Python module name`,
          'Rename the file to letters, digits and underscores (e.g. my_module.py)',
        );
      }
    },
    isEsModule: () => false,
    importLine: (name, mod) => `from ${stemOf(mod.fileName)} import ${name}`,
  },
  candidates: {
    parse: parsePythonTests,
    importedNames: pythonImportedNames,
    normalize: (code) =>
      code
        .split('\n')
        .map((l) => l.replace(/(^|\s)#(?![^'"]*['"][^'"]*$).*$/, '$1'))
        .join('\n')
        .replace(/^(\s*def\s+)test\w*/m, '$1test')
        .replace(/^(\s*class\s+)\w+/m, '$1C'),
    assertion: /\bassert\b|pytest\.raises|\bself\.assert\w*\(|pytest\.approx|np\.testing\.assert/,
  },
  testFile: {
    name: (moduleFileName) => `test_${moduleFileName}`,
    pattern: /^test_.*\.py$|_test\.py$/,
    frameworkImports: () => ['import pytest'],
    // pytest only where a test uses it (the sandbox also runs plain test functions without pytest).
    frameworkImportsFor: (_mod, tests) => (tests.some((t) => /\bpytest\./.test(t.code)) ? ['import pytest'] : []),
    sampleImportFilter: (_fn, _mod, framework) => (_line, key) => framework.length > 0 || key !== 'import pytest',
    bodies: pythonBodies,
    blockGap: '\n\n\n',
    // A closing `if __name__ == '__main__':` block must stay last.
    appending: { renameClashes, lastBlockStart: mainBlockStart },
  },
  prompt: {
    instructStyle:
      'Write each test as a separate pytest function whose name starts with `test_`, using plain `assert` statements.',
    completionOpening: (fn) => `def test_${fn.name}`,
    completionStops: ['\nif __name__'],
  },
  candidateRun: {
    // Importing the test file compiles it and resolves its imports (it defines the tests, runs nothing).
    buildCheck: (testFileName) => ({
      entry: '__infill_build__.py',
      code: `import importlib, sys\nsys.dont_write_bytecode = True\nimportlib.import_module(${JSON.stringify(testFileName.replace(/\.py$/, ''))})\n`,
    }),
  },
  coverageRun(moduleFile, testFile) {
    const entry = '__infill_cover__.py';
    return { entry, files: { [entry]: pythonDriver({ test: testFile, cover: moduleFile }) } };
  },
  runner: pythonRunner,
};
