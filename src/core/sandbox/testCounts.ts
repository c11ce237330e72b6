import { TEST_LANGUAGE_IDS, testLanguage } from '../testLanguages';

/** Test counts from a runner's own summary (pytest, unittest, node --test), or undefined when it printed none. */
export function countTests(
  runner: string,
  stdout: string,
  stderr: string,
): { passed: number; failed: number; errors: number } | undefined {
  for (const id of TEST_LANGUAGE_IDS) {
    const counts = testLanguage(id).runner.testCounts;
    if (Object.hasOwn(counts, runner)) return counts[runner]!(`${stdout}\n${stderr}`);
  }
  return undefined;
}
