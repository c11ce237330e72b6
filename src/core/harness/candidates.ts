import { testLanguage } from '../testLanguages';
import type { TestLanguage } from './types';

export { codeOf } from '../testLanguages/modelOutput';
export { parseJsTests } from '../testLanguages/js/parse';
export { classCode, parsePythonTests } from '../testLanguages/python/parse';

/** One test cut out of model output: a Python `def test_*` or a JavaScript/TypeScript `test(...)`/`it(...)` call. */
export interface CandidateTest {
  /** The test function's name (Python) or title (JavaScript/TypeScript). */
  name: string;
  /** The test's code, dedented to the top level. */
  code: string;
  /** Import lines found in the same sample (the test may need them). */
  imports: string[];
  /** Which generation (sample) it came from. */
  sample: number;
  /** The sample's text ended at the token limit and this was its last test: probably cut short. */
  truncated: boolean;
  /** Python: a test method of a class (a unittest.TestCase or a pytest Test* class), with the class around it. */
  testClass?: TestClassParts;
}

/** A test method and its class, in parts, so the test file can put the kept methods of one class back together. */
export interface TestClassParts {
  /** The class's name (`TestClamp`) and the method's (`test_above`). */
  name: string;
  method: string;
  /** The class line, with its decorators: `class TestClamp(unittest.TestCase):`. */
  header: string;
  /** The class body without its test methods (setUp, helpers, attributes), indented as in the class; may be empty. */
  preamble: string;
  /** The test method, indented as in the class. */
  methodCode: string;
}

/** The names an import line declares (`from m import a, b as c` -> a, c; `import x.y` -> x; `const { p } = require(...)` -> p). */
export function importedNames(language: TestLanguage, line: string): string[] {
  return testLanguage(language).candidates.importedNames(line);
}

export function parseTests(language: TestLanguage, text: string, sample = 0, truncatedSample = false): CandidateTest[] {
  return testLanguage(language).candidates.parse(text, sample, truncatedSample);
}

/**
 * The text two tests share when they are the same test: comments and blank space removed, the name replaced
 * (two tests that differ only in name or layout are duplicates).
 */
export function normalizeTest(language: TestLanguage, test: Pick<CandidateTest, 'code' | 'name'>): string {
  const code = testLanguage(language).candidates.normalize(test.code);
  return code
    .replace(/\s+/g, ' ')
    .replace(/\s*([()[\]{},:;=+\-*/<>])\s*/g, '$1')
    .trim();
}

/** Whether a test checks anything: an assert, pytest.raises, expect(...) or assert.*(...). */
export function hasAssertion(language: TestLanguage, code: string): boolean {
  return testLanguage(language).candidates.assertion.test(code);
}
