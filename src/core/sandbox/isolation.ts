import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from './which';

const execFileP = promisify(execFile);

/** How the sandbox wraps a command on this machine, found once by trying it. */
export interface IsolationPlan {
  /** Wraps the (already limited) command so it runs isolated in `dir`. */
  wrap(dir: string, argv: string[]): string[];
  networkIsolated: boolean;
  filesystemIsolated: boolean;
  /** true when the process-count limit binds (it does not for root, so root drops to `nobody` where it can). */
  processLimited: boolean;
  /** The uid the program runs as when it differs from ours (the folder is handed to it). */
  runAsUid?: number;
  runAsGid?: number;
  note: string;
}

const NOBODY = 65534;

/** Folders a runtime needs that may sit under the (hidden) home folder: the interpreter, its libraries, node. */
export type RuntimeDirs = () => Promise<string[]>;

let cached: Promise<IsolationPlan> | undefined;
let runtimeDirsProvider: RuntimeDirs = () => Promise.resolve([]);

/** The runners tell isolation which folders must stay visible (read-only) inside the sandbox. */
export function setRuntimeDirs(provider: RuntimeDirs): void {
  runtimeDirsProvider = provider;
  cached = undefined;
}

/** The isolation this machine allows, probed once per process (override with INFILL_SANDBOX_ISOLATION=none|unshare|bwrap). */
export function isolationPlan(): Promise<IsolationPlan> {
  cached ??= probe();
  return cached;
}

async function probe(): Promise<IsolationPlan> {
  const root = process.getuid?.() === 0;
  const forced = process.env.INFILL_SANDBOX_ISOLATION;
  const attempts: string[] = [];
  if (process.platform === 'linux') {
    const bwrap = forced === undefined || forced === 'bwrap' ? await findExecutable('bwrap') : undefined;
    const setpriv = root ? await findExecutable('setpriv') : undefined;
    if (bwrap) {
      const plan = bwrapPlan(bwrap, root ? setpriv : undefined, await visibleRuntimeDirs());
      const why = await tryPlan(plan);
      if (why === undefined) return plan;
      attempts.push(`bubblewrap failed (${why})`);
    } else if (forced === undefined) {
      attempts.push('bubblewrap (bwrap) is not installed');
    }
    const unshare = forced === undefined || forced === 'unshare' ? await findExecutable('unshare') : undefined;
    if (unshare) {
      const plan = unsharePlan(unshare, root, attempts);
      const why = await tryPlan(plan);
      if (why === undefined) return plan;
      attempts.push(`unshare failed (${why})`);
    } else if (forced === undefined) {
      attempts.push('unshare is not installed');
    }
  } else {
    attempts.push(`no network namespaces on ${process.platform}`);
  }
  return {
    wrap: (_dir, argv) => argv,
    networkIsolated: false,
    filesystemIsolated: false,
    processLimited: !root,
    note:
      `not isolated: the program can reach the network and write where you can (${attempts.join('; ') || 'isolation turned off by INFILL_SANDBOX_ISOLATION'})` +
      (root ? '; runs as root, so the process limit does not bind' : ''),
  };
}

/** The home folder is hidden (a tmpfs) unless the runtimes live there; those folders come back read-only. */
async function visibleRuntimeDirs(): Promise<string[]> {
  const dirs = await runtimeDirsProvider();
  return [...new Set(dirs.filter((d) => fs.existsSync(d)).map((d) => path.resolve(d)))];
}

function bwrapPlan(bwrap: string, setpriv: string | undefined, runtimeDirs: string[]): IsolationPlan {
  const home = os.homedir();
  const hideHome = home !== '/' && fs.existsSync(home) && !os.tmpdir().startsWith(home + path.sep);
  // Folders replaced by an empty, traversable tmpfs with the runtimes inside bound back read-only: the home folder, and
  // any private folder (no search permission for others, e.g. /root at 0700 when HOME points elsewhere) a runtime sits
  // below, which a program dropped to nobody could not pass through.
  const covered = new Set<string>(hideHome ? [home] : []);
  for (const dir of runtimeDirs) {
    const top = privateAncestor(dir);
    if (
      top &&
      ![...covered].some((c) => top === c || top.startsWith(c + path.sep)) &&
      !os.tmpdir().startsWith(top + path.sep)
    )
      covered.add(top);
  }
  const masks = [...covered].flatMap((root) => [
    '--perms',
    '0755',
    '--tmpfs',
    root,
    ...maskedFolderMounts(
      root,
      runtimeDirs.filter((d) => d.startsWith(root + path.sep)),
    ),
  ]);
  const drop = setpriv
    ? [setpriv, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--inh-caps=-all', '--']
    : [];
  return {
    wrap: (dir, argv) => [
      bwrap,
      '--ro-bind',
      '/',
      '/',
      '--dev',
      '/dev',
      '--proc',
      '/proc',
      '--tmpfs',
      '/tmp',
      ...masks,
      ...tmpAncestors(dir),
      '--bind',
      dir,
      dir,
      '--unshare-net',
      '--unshare-pid',
      '--unshare-ipc',
      '--unshare-uts',
      '--die-with-parent',
      '--new-session',
      '--chdir',
      dir,
      '--',
      ...drop,
      ...argv,
    ],
    networkIsolated: true,
    filesystemIsolated: true,
    processLimited: setpriv !== undefined || process.getuid?.() !== 0,
    ...(setpriv ? { runAsUid: NOBODY, runAsGid: NOBODY } : {}),
    note:
      `bubblewrap: no network, own PID namespace, the machine read-only${hideHome ? ', your home folder hidden' : ''}, only the sandbox folder writable` +
      (setpriv
        ? ', runs as nobody'
        : process.getuid?.() === 0
          ? ', runs as root (setpriv is missing, so the process limit does not bind)'
          : ''),
  };
}

/** The outermost folder above `dir` that others may not pass through (mode without o+x), if any. */
export function privateAncestor(dir: string): string | undefined {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    const ancestor = path.sep + parts.slice(0, i).join(path.sep);
    try {
      if ((fs.statSync(ancestor).mode & 0o001) === 0) return ancestor;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The folders between the fresh /tmp and a sandbox folder below it (a TMPDIR such as /tmp/session-x/tmp), made
 * traversable: bubblewrap would otherwise create them 0700, and a program dropped to nobody could not reach its folder.
 */
function tmpAncestors(dir: string): string[] {
  const rel = path.relative('/tmp', dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return [];
  const parts = rel.split(path.sep);
  return parts
    .slice(0, -1)
    .flatMap((_, i) => ['--perms', '0755', '--dir', path.join('/tmp', ...parts.slice(0, i + 1))]);
}

/** Inside a masked folder (the home, a private folder): traversable folders down to each runtime folder, then the folder itself, read-only. */
function maskedFolderMounts(root: string, dirs: string[]): string[] {
  const made = new Set<string>();
  const args: string[] = [];
  for (const dir of dirs.sort()) {
    if ([...made].some((m) => dir === m || dir.startsWith(m + path.sep))) continue; // already visible through a parent
    const parts = path.relative(root, dir).split(path.sep);
    for (let i = 1; i < parts.length; i++) {
      const ancestor = path.join(root, ...parts.slice(0, i));
      if (!made.has(ancestor)) args.push('--perms', '0755', '--dir', ancestor);
    }
    args.push('--ro-bind', dir, dir);
    made.add(dir);
  }
  return args;
}

function unsharePlan(unshare: string, root: boolean, attempts: string[]): IsolationPlan {
  // Root keeps its own user (a user namespace does not make root's process limit bind); others map to root in a new user namespace.
  const flags = root
    ? ['--net', '--pid', '--fork', '--kill-child']
    : ['--user', '--map-root-user', '--net', '--pid', '--fork', '--kill-child'];
  return {
    wrap: (_dir, argv) => [unshare, ...flags, '--', ...argv],
    networkIsolated: true,
    filesystemIsolated: false,
    processLimited: !root,
    note:
      `unshare: no network, own PID namespace; the program can still write where you can (${attempts.length ? `${attempts.join('; ')}: ` : ''}install bubblewrap for a read-only view)` +
      (root ? '; runs as root, so the process limit does not bind' : ''),
  };
}

/** Runs `true` through the plan in a throwaway folder: undefined when it works, else why not. */
async function tryPlan(plan: IsolationPlan): Promise<string | undefined> {
  const dir = await fs.promises.realpath(await fs.promises.mkdtemp(path.join(os.tmpdir(), 'infill-probe-')));
  try {
    if (plan.runAsUid !== undefined) await fs.promises.chown(dir, plan.runAsUid, plan.runAsGid ?? plan.runAsUid);
    const argv = plan.wrap(dir, ['/bin/sh', '-c', 'exit 0']);
    await execFileP(argv[0]!, argv.slice(1), { cwd: dir, timeout: 10_000 });
    return undefined;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return (e.stderr?.trim().split('\n').pop() ?? e.message).slice(0, 200);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
