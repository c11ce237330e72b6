import * as fs from 'node:fs';
import * as path from 'node:path';
import { lastNumber } from '../../sandbox/output';
import { findExecutable } from '../../sandbox/which';
import type { RunnerSpec, TestCounts } from '../spec';

interface NodeInfo {
  executable: string;
  electron: boolean;
  dirs: string[];
}

let node: Promise<NodeInfo> | undefined;

/** Node.js from PATH; inside an editor without one, the editor's own runtime in Node mode. */
export function nodeInfo(): Promise<NodeInfo> {
  node ??= (async () => {
    const onPath = await findExecutable('node');
    const executable = onPath ? await fs.promises.realpath(onPath) : process.execPath;
    return {
      executable,
      electron: !onPath && 'electron' in process.versions,
      dirs: [path.dirname(path.dirname(executable))],
    };
  })();
  return node;
}

function nodeTestCounts(text: string): TestCounts | undefined {
  const passed = lastNumber(text, /^# pass (\d+)/gm);
  const failed = lastNumber(text, /^# fail (\d+)/gm);
  if (passed === undefined || failed === undefined) return undefined;
  return { passed, failed, errors: lastNumber(text, /^# cancelled (\d+)/gm) ?? 0 };
}

/**
 * Node runs the entry as a script, or its tests with `node --test`; `compile` first turns the folder's sources into
 * the JavaScript that runs (TypeScript is transpiled outside the sandbox) and gives the entry's compiled file.
 */
export function nodeRunner(compile?: (dir: string, entry: string) => Promise<string>): RunnerSpec {
  return {
    async prepare(mode, dir, entry, memoryMb) {
      const n = await nodeInfo();
      const file = compile ? await compile(dir, entry) : entry;
      const env: Record<string, string> = { NODE_OPTIONS: `--max-old-space-size=${memoryMb}` };
      if (n.electron) env.ELECTRON_RUN_AS_NODE = '1';
      const argv = mode === 'tests' ? [n.executable, '--test', '--test-reporter=tap', file] : [n.executable, file];
      return { name: mode === 'tests' ? 'node --test' : 'node', argv, env, extraAddressSpaceMb: 1024 };
    },
    async runtimeDirs() {
      return (await nodeInfo()).dirs;
    },
    testCounts: { 'node --test': nodeTestCounts },
  };
}

/**
 * Whether the test file loaded (it parsed, transpiled, and its imports resolved) and the test ran, passing or failing:
 * node --test's TAP output names each test that ran; a file that fails to load reports only itself.
 */
export function ranTest(stdout: string, title: string): boolean {
  const unescape = (s: string) => s.replace(/\\([#\\])/g, '$1');
  return stdout.split('\n').some((line) => {
    const m = /^\s*(?:not )?ok \d+ - (.*?)(?:\s+#\s+(?:SKIP|TODO).*)?$/.exec(line);
    return m !== null && unescape(m[1]!) === title;
  });
}
