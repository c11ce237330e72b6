import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { InfillError } from '../errors';
import { runInSandbox, sandboxPassed, type SandboxRequest, type SandboxResult } from '../sandbox/sandbox';
import { parseAssertTests } from './asserts';
import { codeOf } from './candidates';
import { questionTestsPrompt, runTestPrompt, solutionPrompt, type Question } from './prompts';
import type { ModelBackend } from '../backend/types';

export interface SelfInstructOptions {
  /** Tests the model writes per question (Code Llama: 5). */
  tests: number;
  /** Most solutions tried per question (Code Llama: 10); the first that passes every test is kept. */
  solutions: number;
  temperature: number;
  maxNewTokens: number;
  /** Added to each question's own seed (a question's seeds do not depend on which questions ran before it). */
  seed: number;
  timeoutMs?: number;
  memoryMb?: number;
}

export const DEFAULT_SELF_INSTRUCT: SelfInstructOptions = {
  tests: 5,
  solutions: 10,
  temperature: 0.8,
  maxNewTokens: 384,
  seed: 0,
};

/** One dataset row. `solution` is null when no solution passed (or the model wrote no usable test); `attempts` counts solutions tried. */
export interface SelfInstructRow {
  id: string;
  question: string;
  tests: string[];
  solution: string | null;
  attempts: number;
}

export interface SelfInstructDeps {
  /** The model that writes the tests and the solutions. */
  backend: ModelBackend;
  run?: (req: SandboxRequest) => Promise<SandboxResult>;
}

/** A stable seed per question, so a resumed run writes what an uninterrupted one would. */
function seedOf(id: string): number {
  let h = 2166136261;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h % 1_000_000;
}

/**
 * Code Llama's self-instruct recipe for one question: the model writes `tests` unit tests (assert statements), then
 * up to `solutions` solutions, each prompt showing ONE of the tests (in turn) and hiding the others; the first
 * solution that passes all the tests in the sandbox is kept.
 */
export async function selfInstructOne(
  q: Question,
  deps: SelfInstructDeps,
  options: SelfInstructOptions = DEFAULT_SELF_INSTRUCT,
  signal?: AbortSignal,
): Promise<SelfInstructRow> {
  const run = deps.run ?? runInSandbox;
  const seed = seedOf(q.id) + options.seed;
  const info = await deps.backend.info();
  const tp = questionTestsPrompt(info, q, options.tests);
  const written = await runTestPrompt(
    deps.backend,
    tp,
    { maxNewTokens: options.maxNewTokens, temperature: options.temperature, topP: 0.95, seed, kind: 'selfinstruct' },
    signal,
  );
  cancelled(signal, written.stopReason);
  const tests = parseAssertTests(tp.continues + written.text, options.tests);
  const row: SelfInstructRow = { id: q.id, question: q.question, tests, solution: null, attempts: 0 };
  if (!tests.length) return row;
  for (let attempt = 0; attempt < options.solutions; attempt++) {
    const shown = tests[attempt % tests.length]!;
    const sp = solutionPrompt(info, q, shown);
    const answer = await runTestPrompt(
      deps.backend,
      sp,
      {
        maxNewTokens: options.maxNewTokens,
        temperature: options.temperature,
        topP: 0.95,
        seed: seed + 1 + attempt,
        kind: 'selfinstruct',
      },
      signal,
    );
    cancelled(signal, answer.stopReason);
    row.attempts = attempt + 1;
    const solution =
      sp.format === 'chat-template' ? codeOf(answer.text).trim() : `${sp.continues}${answer.text}`.trimEnd();
    if (!solution) continue;
    const program = `${solution}\n\n\n${tests.join('\n')}\n`;
    const result = await run({
      language: 'python',
      files: { 'solution.py': program },
      entry: 'solution.py',
      mode: 'script',
      timeoutMs: options.timeoutMs,
      memoryMb: options.memoryMb,
      signal,
    });
    cancelled(signal);
    if (sandboxPassed(result)) {
      row.solution = `${solution}\n`;
      break;
    }
  }
  return row;
}

function cancelled(signal?: AbortSignal, stopReason?: string): void {
  if (signal?.aborted || stopReason === 'aborted' || stopReason === 'preempted') {
    throw new InfillError(
      'cancelled',
      'Self-instruct was cancelled',
      'Run it again: questions already written are skipped',
    );
  }
}

/**
 * Questions from a JSON Lines file (`.jsonl`, or gzipped `.jsonl.gz` like HumanEval's): each line an object with an id
 * (`id` or `task_id`), the question (`question` or `prompt`) and optionally `entry_point`.
 */
export function readQuestions(file: string): Question[] {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch {
    throw new InfillError(
      'file-not-found',
      `Cannot read ${file}`,
      'Check the path of the questions file (JSON Lines, one question per line)',
    );
  }
  const text = file.endsWith('.gz') ? zlib.gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  const out: Question[] = [];
  const ids = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new InfillError(
        'bad-arguments',
        `Line ${i + 1} of ${file} is not JSON`,
        'Give one JSON object per line: {"id": ..., "question": ...}',
      );
    }
    const id = o['id'] ?? o['task_id'];
    const question = o['question'] ?? o['prompt'];
    if ((typeof id !== 'string' && typeof id !== 'number') || typeof question !== 'string' || !question.trim()) {
      throw new InfillError(
        'bad-arguments',
        `Line ${i + 1} of ${file} has no id and question`,
        'Each line needs "id" (or "task_id") and "question" (or "prompt")',
      );
    }
    if (ids.has(String(id)))
      throw new InfillError(
        'bad-arguments',
        `Id ${String(id)} appears twice in ${file}`,
        'Give each question its own id',
      );
    ids.add(String(id));
    const entryPoint = typeof o['entry_point'] === 'string' ? o['entry_point'] : undefined;
    out.push({ id: String(id), question, entryPoint });
  });
  return out;
}

/**
 * The ids already in a dataset file (so a resumed run skips them). A last line cut short by a crash is removed, so
 * the file holds only complete JSON lines before new rows are appended.
 */
export function doneIds(outFile: string): Set<string> {
  if (!fs.existsSync(outFile)) return new Set();
  let text = fs.readFileSync(outFile, 'utf8');
  const lastNewline = text.lastIndexOf('\n');
  const tail = text.slice(lastNewline + 1);
  if (tail.trim()) {
    let complete = true;
    try {
      JSON.parse(tail);
    } catch {
      complete = false;
    }
    text = complete ? `${text}\n` : text.slice(0, lastNewline + 1);
    fs.writeFileSync(outFile, text);
  }
  const ids = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const id = (JSON.parse(line) as { id?: unknown }).id;
      if (typeof id === 'string') ids.add(id);
    } catch {
      throw new InfillError(
        'bad-arguments',
        `Line ${i + 1} of ${outFile} is not a dataset row`,
        'Give --out a new file, or the dataset file a previous run wrote',
      );
    }
  });
  return ids;
}

/** Appends one complete row (one write of one line). */
export function appendRow(outFile: string, row: SelfInstructRow): void {
  fs.appendFileSync(outFile, `${JSON.stringify(row)}\n`);
}
