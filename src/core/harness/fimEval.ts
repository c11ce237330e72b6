import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { InfillError } from '../errors';
import { runInSandbox, sandboxPassed, type SandboxResult } from '../sandbox';

/** One HumanEval-infilling task: the model writes the middle between prompt and suffix. */
export interface FimTask {
  task_id: string;
  prompt: string;
  suffix: string;
  canonical_solution: string;
  test: string;
  entry_point: string;
}

/** Where the middle of a task comes from: the canonical solution, or a completion pipeline. */
export type MiddleSource = (task: FimTask, signal?: AbortSignal) => Promise<{ middle: string; latencyMs?: number }>;

export interface FimTaskOutcome {
  taskId: string;
  passed: boolean;
  exactMatch: boolean;
  latencyMs?: number;
  /** Why it failed: timed out, killed by a limit, or the last line of stderr. */
  failure?: string;
}

export interface FimEvalReport {
  tasks: number;
  passed: number;
  passAt1: number;
  exactMatch: number;
  latencyMs: { p50: number; p95: number } | null;
  outcomes: FimTaskOutcome[];
}

const FIELDS = ['task_id', 'prompt', 'suffix', 'canonical_solution', 'test', 'entry_point'] as const;

/** Reads a HumanEval-infilling file (.jsonl or .jsonl.gz); every row must have the benchmark's fields. */
export async function readFimTasks(file: string): Promise<FimTask[]> {
  let raw: Buffer;
  try {
    raw = await fs.promises.readFile(file);
  } catch {
    throw new InfillError(
      'file-not-found',
      `Cannot read the dataset ${file}`,
      'Give --dataset a HumanEval-infilling .jsonl.gz file, or leave it out for data/human-eval-infilling/HumanEval-SingleLineInfilling.jsonl.gz',
    );
  }
  let text: string;
  try {
    text = (raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw).toString('utf8');
  } catch {
    throw new InfillError(
      'bad-arguments',
      `${file} is not a readable gzip file`,
      'Give --dataset a .jsonl or .jsonl.gz file',
    );
  }
  const tasks: FimTask[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new InfillError(
        'bad-arguments',
        `Line ${i + 1} of ${file} is not JSON`,
        'Give --dataset a HumanEval-infilling JSON-lines file',
      );
    }
    const missing = FIELDS.filter((f) => typeof (row as Record<string, unknown>)[f] !== 'string');
    if (missing.length) {
      throw new InfillError(
        'bad-arguments',
        `Line ${i + 1} of ${file} lacks ${missing.join(', ')}`,
        'Give --dataset a HumanEval-infilling file (prompt, suffix, canonical_solution, test, entry_point)',
      );
    }
    tasks.push(row as FimTask);
  }
  if (tasks.length === 0)
    throw new InfillError('bad-arguments', `${file} has no tasks`, 'Give --dataset a HumanEval-infilling file');
  return tasks;
}

/** The program that scores a middle, as human-eval-infilling builds it: prompt + middle + suffix + test + check(entry point). */
export function fimProgram(task: FimTask, middle: string): string {
  return `${task.prompt}${middle}${task.suffix}\n${task.test}\n\ncheck(${task.entry_point})\n`;
}

/**
 * The editor's view of a task: when the hole starts a line (the benchmark's line infilling), the cursor sits on an
 * empty line between prompt and suffix, as a user would have it; the middle is then the completion as whole lines.
 */
export function fimSite(task: FimTask): { text: string; offset: number; wholeLines: boolean } {
  const wholeLines = (task.prompt === '' || task.prompt.endsWith('\n')) && task.suffix !== '';
  return { text: task.prompt + (wholeLines ? '\n' : '') + task.suffix, offset: task.prompt.length, wholeLines };
}

/** The middle to score from a completion at `fimSite(task)`. */
export function middleFromCompletion(task: FimTask, completion: string): string {
  return fimSite(task).wholeLines && !completion.endsWith('\n') ? `${completion}\n` : completion;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

function failureOf(r: SandboxResult): string {
  if (r.timedOut) return 'timed out';
  if (r.killedByLimit) return `killed by the ${r.killedByLimit} limit`;
  const last = r.stderrTail.trim().split('\n').pop() ?? '';
  return last || `exit code ${String(r.exitCode)}`;
}

export interface FimEvalOptions {
  /** Sandbox runs at once (the middles themselves are asked for one at a time: the engine runs one generation). */
  concurrency?: number;
  timeoutMs?: number;
  memoryMb?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, passed: number) => void;
}

/**
 * Scores each task by execution: its middle (from `source`) is put between prompt and suffix, the benchmark's test
 * and `check(entry_point)` are appended, and the program runs in the sandbox. pass@1 is the fraction that exit 0.
 */
export async function runFimEval(
  tasks: FimTask[],
  source: MiddleSource,
  options: FimEvalOptions = {},
): Promise<FimEvalReport> {
  const outcomes: FimTaskOutcome[] = new Array<FimTaskOutcome>(tasks.length);
  let next = 0;
  let done = 0;
  let passed = 0;
  let generating: Promise<unknown> = Promise.resolve();
  const serialMiddle = (task: FimTask) => {
    const run = generating.then(() => source(task, options.signal));
    generating = run.catch(() => undefined);
    return run;
  };
  const worker = async () => {
    while (next < tasks.length) {
      options.signal?.throwIfAborted();
      const index = next++;
      const task = tasks[index]!;
      const { middle, latencyMs } = await serialMiddle(task);
      const result = await runInSandbox({
        language: 'python',
        files: { 'program.py': fimProgram(task, middle) },
        entry: 'program.py',
        mode: 'script',
        timeoutMs: options.timeoutMs,
        memoryMb: options.memoryMb,
        signal: options.signal,
      });
      if (result.aborted) options.signal?.throwIfAborted();
      const ok = sandboxPassed(result);
      outcomes[index] = {
        taskId: task.task_id,
        passed: ok,
        exactMatch: middle.trim() === task.canonical_solution.trim(),
        ...(latencyMs === undefined ? {} : { latencyMs }),
        ...(ok ? {} : { failure: failureOf(result) }),
      };
      done++;
      if (ok) passed++;
      options.onProgress?.(done, tasks.length, passed);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 2, tasks.length)) }, worker));
  const latencies = outcomes.flatMap((o) => (o.latencyMs === undefined ? [] : [o.latencyMs])).sort((a, b) => a - b);
  return {
    tasks: tasks.length,
    passed,
    passAt1: passed / tasks.length,
    exactMatch: outcomes.filter((o) => o.exactMatch).length / tasks.length,
    latencyMs: latencies.length ? { p50: percentile(latencies, 50), p95: percentile(latencies, 95) } : null,
    outcomes,
  };
}
