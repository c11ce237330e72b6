import { nodeCoverageRun } from './js/coverage';
import { JS_CANDIDATE_RUN, JS_CANDIDATES, JS_LOCATE, JS_PROMPT, JS_TEST_FILE } from './js/family';
import { JS_IMPORT_LINE } from './js/imports';
import { nodeRunner } from './js/runner';
import { compiledName, transpileTypeScript } from './js/transpile';
import { stemOf } from './source';
import type { TestLanguageSpec } from './spec';

/** TypeScript: JavaScript's tests, run as the CommonJS the sandbox transpiles the folder to (x.ts -> x.js beside it). */
export const typescript: TestLanguageSpec = {
  name: 'TypeScript',
  extension: '.ts',
  sourceFile: /(?<!\.d)\.[mc]?ts$/i,
  vscodeLanguageIds: ['typescript'],
  syntax: { fence: 'typescript', lineComment: '//', importLine: JS_IMPORT_LINE },
  locate: JS_LOCATE,
  module: {
    isEsModule: () => true,
    importLine: (name, mod) => `import { ${name} } from './${stemOf(mod.fileName)}';`,
  },
  candidates: JS_CANDIDATES,
  testFile: JS_TEST_FILE,
  prompt: JS_PROMPT,
  candidateRun: JS_CANDIDATE_RUN,
  coverageRun: nodeCoverageRun(compiledName),
  runner: nodeRunner(transpileTypeScript),
};
