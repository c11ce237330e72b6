import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InfillError } from '../errors';
import { TEST_LANGUAGE_IDS, testLanguage, type TestLanguage } from '../testLanguages';
import { isolationPlan, setRuntimeDirs } from './isolation';
import { limitsCommand, memoryKillPattern } from './limits';
import { TailBuffer } from './output';
import { countTests } from './testCounts';
import { findExecutable } from './which';

let prlimit: Promise<string | undefined> | undefined;
const prlimitPath = () => (prlimit ??= findExecutable('prlimit'));

/** The sandbox runs the test languages, each with the runner its entry in the table names. */
export type SandboxLanguage = TestLanguage;
export const SANDBOX_LANGUAGES: readonly SandboxLanguage[] = TEST_LANGUAGE_IDS;

setRuntimeDirs(async () =>
  (await Promise.all(SANDBOX_LANGUAGES.map((id) => testLanguage(id).runner.runtimeDirs()))).flat(),
);

export interface SandboxRequest {
  language: SandboxLanguage;
  /** Files written into a fresh temporary folder: relative path -> content (paths escaping the folder are refused). */
  files: Record<string, string>;
  /** The file to run (a key of `files`). */
  entry: string;
  /** 'script' runs the entry as a program; 'tests' runs it with the language's test runner: pytest when installed, else unittest's runner over its TestCase classes, Test* classes and test_* functions; `node --test` for JS/TS (TS transpiled with esbuild). */
  mode: 'script' | 'tests';
  timeoutMs?: number; // default 10000
  memoryMb?: number; // default 512
  maxOutputBytes?: number; // default 1 MiB, output beyond is dropped and reported
  /** Most processes (and threads) the program may have at once; default 64. */
  maxProcesses?: number;
  /** Largest file the program may write, in MiB; default 64. */
  maxFileMb?: number;
  signal?: AbortSignal;
}

export interface SandboxResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  killedByLimit: 'memory' | 'output' | 'cpu' | null;
  stdoutTail: string;
  stderrTail: string;
  durationMs: number;
  /** true when the program ran in a new network namespace; isolationNote says how, or plainly why not. */
  networkIsolated: boolean;
  /** true when everything outside the sandbox folder is read-only to the program (and /tmp is its own). */
  filesystemIsolated: boolean;
  /** true when the process-count limit (fork bombs) binds the program. */
  processLimited: boolean;
  isolationNote: string;
  runner: string; // e.g. 'pytest', 'unittest', 'python', 'node --test', 'node'
  /** mode 'tests': counts when the runner reports them. */
  tests?: { passed: number; failed: number; errors: number };
  /** true when the run was stopped by `signal` (the caller's abort). */
  aborted?: boolean;
}

export const SANDBOX_DEFAULTS = {
  timeoutMs: 10_000,
  memoryMb: 512,
  maxOutputBytes: 1 << 20,
  maxProcesses: 64,
  maxFileMb: 64,
} as const;

/** A program passed: it exited 0 on its own, within its time and limits. */
export function sandboxPassed(r: SandboxResult): boolean {
  return r.exitCode === 0 && !r.timedOut && r.killedByLimit === null && !r.aborted;
}

/** The real path of `rel` inside `root`, or an error when it would land outside. */
function insidePath(root: string, rel: string): string {
  const target = path.resolve(root, rel);
  if (path.isAbsolute(rel) || rel === '' || !target.startsWith(root + path.sep)) {
    throw new InfillError(
      'bad-arguments',
      `The sandbox file path "${rel}" leaves the sandbox folder`,
      'Give files as relative paths inside the folder, without ".."',
    );
  }
  return target;
}

/**
 * Runs a program in a fresh temporary folder under limits (time, CPU, memory, processes, file size, output), with a
 * scrubbed environment and, where the OS allows, no network and a read-only view of the rest of the machine. The whole
 * process group (and, when isolated, the whole PID namespace) is killed on timeout or abort; the folder is always removed.
 */
export async function runInSandbox(req: SandboxRequest): Promise<SandboxResult> {
  if (!SANDBOX_LANGUAGES.includes(req.language)) {
    throw new InfillError(
      'bad-arguments',
      `The sandbox cannot run "${String(req.language)}"`,
      `Use one of ${SANDBOX_LANGUAGES.join(', ')}`,
    );
  }
  if (!(req.entry in req.files)) {
    throw new InfillError(
      'bad-arguments',
      `The sandbox entry "${req.entry}" is not one of its files`,
      'Name one of the files given as the entry',
    );
  }
  const timeoutMs = req.timeoutMs ?? SANDBOX_DEFAULTS.timeoutMs;
  const memoryMb = req.memoryMb ?? SANDBOX_DEFAULTS.memoryMb;
  const maxOutputBytes = req.maxOutputBytes ?? SANDBOX_DEFAULTS.maxOutputBytes;
  const maxProcesses = req.maxProcesses ?? SANDBOX_DEFAULTS.maxProcesses;
  const maxFileMb = req.maxFileMb ?? SANDBOX_DEFAULTS.maxFileMb;

  const dir = await fs.promises.realpath(await fs.promises.mkdtemp(path.join(os.tmpdir(), 'infill-sandbox-')));
  try {
    for (const [rel, content] of Object.entries(req.files)) {
      const target = insidePath(dir, rel);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.writeFile(target, content);
    }
    await fs.promises.mkdir(path.join(dir, '.tmp'));
    const plan = await isolationPlan();
    if (plan.runAsUid !== undefined) await chownTree(dir, plan.runAsUid, plan.runAsGid ?? plan.runAsUid);

    const runner = await testLanguage(req.language).runner.prepare(req.mode, dir, req.entry, memoryMb);
    const limited = limitsCommand(
      {
        memoryMb: memoryMb + runner.extraAddressSpaceMb,
        maxProcesses,
        maxFileMb,
        cpuSeconds: Math.ceil(timeoutMs / 1000) + 1,
      },
      runner.argv,
      await prlimitPath(),
    );
    const argv = plan.wrap(dir, limited.argv);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: dir,
      TMPDIR: path.join(dir, '.tmp'),
      LANG: process.env.LANG ?? 'C.UTF-8',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
      PYTHONIOENCODING: 'utf-8',
      NO_COLOR: '1',
      ...runner.env,
    };
    // pyenv and similar shims need their root to find the interpreter; it names a folder, not a secret.
    if (process.env.PYENV_ROOT) env.PYENV_ROOT = process.env.PYENV_ROOT;

    const result = await spawnLimited(argv, dir, env, timeoutMs, maxOutputBytes, req.signal);
    const memoryHit =
      result.killedByLimit === null && result.exitCode !== 0 && memoryKillPattern.test(result.stderrTail);
    const notes = [plan.note, ...limited.notes];
    return {
      ...result,
      killedByLimit: result.killedByLimit ?? (result.signal === 'SIGXCPU' ? 'cpu' : memoryHit ? 'memory' : null),
      networkIsolated: plan.networkIsolated,
      filesystemIsolated: plan.filesystemIsolated,
      processLimited: plan.processLimited && limited.notes.length === 0,
      isolationNote: notes.join('; '),
      runner: runner.name,
      ...(req.mode === 'tests' ? { tests: countTests(runner.name, result.stdoutTail, result.stderrTail) } : {}),
    };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await fs.promises.chown(dir, uid, gid);
  for (const entry of await fs.promises.readdir(dir, { withFileTypes: true, recursive: true })) {
    await fs.promises.chown(path.join(entry.parentPath, entry.name), uid, gid);
  }
}

type SpawnOutcome = Pick<
  SandboxResult,
  'exitCode' | 'signal' | 'timedOut' | 'killedByLimit' | 'stdoutTail' | 'stderrTail' | 'durationMs' | 'aborted'
>;

function spawnLimited(
  argv: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
  maxOutputBytes: number,
  signal?: AbortSignal,
): Promise<SpawnOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const stdout = new TailBuffer(maxOutputBytes);
    const stderr = new TailBuffer(maxOutputBytes);
    let timedOut = false;
    let aborted = false;
    let outputKilled = false;
    let settled = false;
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const onData = (buf: TailBuffer) => (chunk: Buffer) => {
      buf.push(chunk);
      if (!outputKilled && stdout.total + stderr.total > maxOutputBytes) {
        outputKilled = true;
        killGroup();
      }
    };
    child.stdout.on('data', onData(stdout));
    child.stderr.on('data', onData(stderr));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    const onAbort = () => {
      aborted = true;
      killGroup();
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let graceTimer: NodeJS.Timeout | undefined;
    const finish = (exitCode: number | null, sig: string | null, spawnError?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      signal?.removeEventListener('abort', onAbort);
      killGroup();
      child.stdout.destroy();
      child.stderr.destroy();
      const dropped = (b: TailBuffer) => (b.dropped ? `\n[infill: ${b.dropped} bytes of output dropped]` : '');
      resolve({
        exitCode,
        signal: sig,
        timedOut,
        killedByLimit: outputKilled ? 'output' : null,
        stdoutTail: stdout.text() + dropped(stdout),
        stderrTail:
          (spawnError ? `infill: cannot start ${argv[0]}: ${spawnError.message}\n` : '') +
          stderr.text() +
          dropped(stderr),
        durationMs: Math.round(performance.now() - started),
        ...(aborted ? { aborted } : {}),
      });
    };
    child.once('error', (err) => finish(null, null, err));
    // The program's whole group goes when it exits; output still in the pipes is read until they close (or briefly,
    // when something that left the group holds them open).
    child.once('exit', (code, sig) => {
      killGroup();
      graceTimer = setTimeout(() => finish(code, sig), 1000);
      child.once('close', () => finish(code, sig));
    });
  });
}
