import { testLanguage } from '../testLanguages';
import type { TestLanguage } from './types';

/**
 * Line coverage of the module under test, measured inside the sandbox (TestGen-LLM's last filter: a test is kept only
 * when it runs lines the tests kept before it did not). Python: Infill's test driver with the standard library's
 * `trace`. JavaScript/TypeScript: `node --test` with NODE_V8_COVERAGE (V8's own block coverage), read back by a small
 * driver that turns byte ranges into lines. Either prints one last line `@@infill-coverage {...}`.
 */
export interface LineCoverage {
  /** 1-based lines of the module the tests ran (for TypeScript: of its transpiled JavaScript). */
  lines: number[];
  /** Lines of the module that can run (code, not blank lines, comments or lone closing brackets). */
  executable: number;
}

/** The files and entry of a sandbox run (mode `script`) that runs `testFile` and measures the lines of `moduleFile` it runs. */
export function coverageRun(
  language: TestLanguage,
  moduleFile: string,
  testFile: string,
): { files: Record<string, string>; entry: string } {
  return testLanguage(language).coverageRun(moduleFile, testFile);
}

/** The coverage a run printed, or undefined when it printed none (it crashed before, or the runtime cannot measure). */
export function parseCoverage(stdout: string): LineCoverage | undefined {
  return parseCoverageLine(stdout);
}

/** The last line a coverage driver prints: the module's lines the tests ran, and its executable lines. */
export function parseCoverageLine(stdout: string): LineCoverage | undefined {
  const m = [...stdout.matchAll(/^@@infill-coverage (\{.*\})\s*$/gm)].pop();
  if (!m) return undefined;
  try {
    const j = JSON.parse(m[1]!) as { lines?: unknown; executable?: unknown };
    if (!Array.isArray(j.lines) || !j.lines.every((n) => typeof n === 'number') || typeof j.executable !== 'number')
      return undefined;
    return { lines: j.lines, executable: j.executable };
  } catch {
    return undefined;
  }
}
