import { nodeCoverageRun } from './js/coverage';
import { JS_CANDIDATE_RUN, JS_CANDIDATES, JS_LOCATE, JS_PROMPT, JS_TEST_FILE } from './js/family';
import { JS_IMPORT_LINE } from './js/imports';
import { nodeRunner } from './js/runner';
import type { TestLanguageSpec } from './spec';

export const javascript: TestLanguageSpec = {
  name: 'JavaScript',
  extension: '.js',
  sourceFile: /\.(js|mjs|cjs)$/i,
  vscodeLanguageIds: ['javascript'],
  syntax: { fence: 'javascript', lineComment: '//', importLine: JS_IMPORT_LINE },
  locate: JS_LOCATE,
  module: {
    isEsModule: (fileName, moduleText) =>
      /\.mjs$/i.test(fileName) || (!/\.cjs$/i.test(fileName) && /^\s*(export\s|import\s[^(])/m.test(moduleText)),
    importLine: (name, mod) =>
      mod.esm ? `import { ${name} } from './${mod.fileName}';` : `const { ${name} } = require('./${mod.fileName}');`,
  },
  candidates: JS_CANDIDATES,
  testFile: JS_TEST_FILE,
  prompt: JS_PROMPT,
  candidateRun: {
    ...JS_CANDIDATE_RUN,
    // An ES module in a .js file loads as one only in a package of type module.
    extraFiles: (mod): Record<string, string> =>
      mod.esm && !/\.mjs$/.test(mod.fileName) ? { 'package.json': '{"type": "module"}\n' } : {},
  },
  coverageRun: nodeCoverageRun((file) => file),
  runner: nodeRunner(),
};
