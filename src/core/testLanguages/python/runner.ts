import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { InfillError } from '../../errors';
import { lastNumber } from '../../sandbox/output';
import { findExecutable } from '../../sandbox/which';
import type { RunnerSpec, TestCounts } from '../spec';
import { pythonDriver } from './driver';

const execFileP = promisify(execFile);

interface PythonInfo {
  executable: string;
  pytest: boolean;
  dirs: string[];
}

let python: Promise<PythonInfo | undefined> | undefined;

const PYTHON_PROBE =
  'import sys, json, importlib.util as u; print(json.dumps({"executable": sys.executable, "pytest": u.find_spec("pytest") is not None, "dirs": sorted({sys.prefix, sys.base_prefix, *[p for p in sys.path if p]})}))';

/** The Python interpreter (python3, else python) with its real path, whether pytest imports, and its folders. */
export function pythonInfo(): Promise<PythonInfo | undefined> {
  python ??= (async () => {
    for (const name of ['python3', 'python']) {
      const exe = await findExecutable(name);
      if (!exe) continue;
      try {
        const { stdout } = await execFileP(exe, ['-c', PYTHON_PROBE], { timeout: 15_000 });
        return JSON.parse(stdout) as PythonInfo;
      } catch {
        // a broken shim: try the next name
      }
    }
    return undefined;
  })();
  return python;
}

function pytestCounts(text: string): TestCounts | undefined {
  const summary =
    [...text.matchAll(/^=*\s*((?:\d+ \w+(?:, )?)+) in [\d.]+s/gm)].pop()?.[1] ??
    [
      ...text.matchAll(
        /^((?:\d+ (?:passed|failed|errors?|skipped|xfailed|xpassed|warnings?|deselected)(?:, )?)+)(?: in [\d.]+s)?\s*$/gm,
      ),
    ].pop()?.[1];
  if (summary === undefined) return /no tests ran/.test(text) ? { passed: 0, failed: 0, errors: 0 } : undefined;
  const part = (word: RegExp) => Number(word.exec(summary)?.[1] ?? 0);
  return { passed: part(/(\d+) passed/), failed: part(/(\d+) failed/), errors: part(/(\d+) errors?/) };
}

function unittestCounts(text: string): TestCounts | undefined {
  const ran = lastNumber(text, /^Ran (\d+) tests? in/gm);
  if (ran === undefined) return undefined;
  const failed = lastNumber(text, /failures=(\d+)/g) ?? 0;
  const errors = lastNumber(text, /errors=(\d+)/g) ?? 0;
  return { passed: Math.max(0, ran - failed - errors), failed, errors };
}

/** Python runs as a script, or its tests with pytest when installed, else with unittest's runner (Infill's driver). */
export const pythonRunner: RunnerSpec = {
  async prepare(mode, _dir, entry) {
    const py = await pythonInfo();
    if (!py)
      throw new InfillError(
        'bad-arguments',
        'Python is not installed (no python3 or python on PATH)',
        'Install Python 3 to run Python code in the sandbox',
      );
    if (mode === 'script') return { name: 'python', argv: [py.executable, entry], env: {}, extraAddressSpaceMb: 0 };
    if (py.pytest) {
      return {
        name: 'pytest',
        argv: [py.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--color=no', entry],
        env: {},
        extraAddressSpaceMb: 0,
      };
    }
    // Without pytest: unittest's runner over TestCase classes, Test* classes and test_* functions (Infill's driver),
    // so plain-assert test functions run too instead of only being defined.
    return { name: 'unittest', argv: [py.executable, '-c', pythonDriver(), entry], env: {}, extraAddressSpaceMb: 0 };
  },
  async runtimeDirs() {
    return (await pythonInfo())?.dirs ?? [];
  },
  testCounts: { pytest: pytestCounts, unittest: unittestCounts },
};
