import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { InfillError } from '../errors';
import { setRuntimeDirs } from './isolation';
import { pythonDriver } from './pythonDriver';
import type { SandboxLanguage } from './sandbox';
import { findExecutable } from './which';

const execFileP = promisify(execFile);

export interface PreparedRunner {
  /** What runs the entry: 'pytest', 'unittest', 'python', 'node --test', 'node'. */
  name: string;
  argv: string[];
  env: Record<string, string>;
  /** Address space the runtime reserves beyond the program's own memory (V8 reserves ~1 GiB of virtual space up front). */
  extraAddressSpaceMb: number;
}

interface PythonInfo { executable: string; pytest: boolean; dirs: string[] }
interface NodeInfo { executable: string; electron: boolean; dirs: string[] }

let python: Promise<PythonInfo | undefined> | undefined;
let node: Promise<NodeInfo> | undefined;

const PYTHON_PROBE = 'import sys, json, importlib.util as u; print(json.dumps({"executable": sys.executable, "pytest": u.find_spec("pytest") is not None, "dirs": sorted({sys.prefix, sys.base_prefix, *[p for p in sys.path if p]})}))';

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

/** Node.js from PATH; inside an editor without one, the editor's own runtime in Node mode. */
export function nodeInfo(): Promise<NodeInfo> {
  node ??= (async () => {
    const onPath = await findExecutable('node');
    const executable = onPath ? await fs.promises.realpath(onPath) : process.execPath;
    return { executable, electron: !onPath && 'electron' in process.versions, dirs: [path.dirname(path.dirname(executable))] };
  })();
  return node;
}

setRuntimeDirs(async () => [...((await pythonInfo())?.dirs ?? []), ...(await nodeInfo()).dirs]);

/** Chooses the runner for a language and mode and prepares the folder for it (TypeScript is transpiled here, outside). */
export async function prepareRunner(language: SandboxLanguage, mode: 'script' | 'tests', dir: string, entry: string, memoryMb: number): Promise<PreparedRunner> {
  if (language === 'python') {
    const py = await pythonInfo();
    if (!py) throw new InfillError('bad-arguments', 'Python is not installed (no python3 or python on PATH)', 'Install Python 3 to run Python code in the sandbox');
    if (mode === 'script') return { name: 'python', argv: [py.executable, entry], env: {}, extraAddressSpaceMb: 0 };
    if (py.pytest) {
      return { name: 'pytest', argv: [py.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--color=no', entry], env: {}, extraAddressSpaceMb: 0 };
    }
    // Without pytest: unittest's runner over TestCase classes, Test* classes and test_* functions (Infill's driver),
    // so plain-assert test functions run too instead of only being defined.
    return { name: 'unittest', argv: [py.executable, '-c', pythonDriver(), entry], env: {}, extraAddressSpaceMb: 0 };
  }
  const n = await nodeInfo();
  let file = entry;
  if (language === 'typescript') file = await transpileTypeScript(dir, entry);
  const env: Record<string, string> = { NODE_OPTIONS: `--max-old-space-size=${memoryMb}` };
  if (n.electron) env.ELECTRON_RUN_AS_NODE = '1';
  const argv = mode === 'tests' ? [n.executable, '--test', '--test-reporter=tap', file] : [n.executable, file];
  return { name: mode === 'tests' ? 'node --test' : 'node', argv, env, extraAddressSpaceMb: 1024 };
}

/** Transpiles every .ts file of the folder to CommonJS .js beside it (imports of './x' then find x.js); returns the entry's .js. */
async function transpileTypeScript(dir: string, entry: string): Promise<string> {
  const esbuild = await import('esbuild');
  const files = (await fs.promises.readdir(dir, { recursive: true })).filter((f) => /\.(c|m)?tsx?$/.test(f) && !f.endsWith('.d.ts'));
  for (const rel of files) {
    const full = path.join(dir, rel);
    const out = full.replace(/\.(c|m)?tsx?$/, '.js');
    let code: string;
    try {
      ({ code } = await esbuild.transform(await fs.promises.readFile(full, 'utf8'), { loader: rel.endsWith('x') ? 'tsx' : 'ts', format: 'cjs', target: 'node20', sourcefile: rel }));
    } catch (err) {
      // A file that does not parse runs as a program that fails with the compiler's message, as tsc would report it.
      const message = err instanceof Error ? err.message : String(err);
      code = `process.stderr.write(${JSON.stringify(`TypeScript error in ${rel}: ${message}\n`)}); process.exit(1);\n`;
    }
    await fs.promises.writeFile(out, code);
  }
  return entry.replace(/\.(c|m)?tsx?$/, '.js');
}
