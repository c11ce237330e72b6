import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { bundledDataset } from '../core/bundledData';
import { InfillError } from '../core/errors';
import { appendRow, DEFAULT_SELF_INSTRUCT, doneIds, readQuestions, selfInstructOne } from '../core/harness';
import { numberFlag } from './flags';
import { ENGINE_OPTIONS, loadHarnessEngine, sandboxLimits } from './harnessEngine';

/**
 * `infill selfinstruct --questions Q.jsonl --out D.jsonl`: Code Llama's self-instruct recipe over a question set.
 * Resumable: ids already in the output are skipped, and each row is appended as one complete line when it is done.
 */
export async function runSelfInstruct(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: false,
      options: {
        ...ENGINE_OPTIONS,
        questions: { type: 'string' },
        out: { type: 'string' },
        tests: { type: 'string' },
        solutions: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new InfillError('bad-arguments', (err as Error).message, 'Run infill --help to see the options');
  }
  const { values } = parsed;
  if (!values.out) {
    throw new InfillError(
      'bad-arguments',
      'selfinstruct needs --out DATASET.jsonl',
      'Example: infill selfinstruct --out dataset.jsonl (questions: HumanEval from data/, or --questions FILE.jsonl)',
    );
  }
  // Default questions: HumanEval's 164 problems from the repository's data/.
  const questionsFile = values.questions ?? bundledDataset('humanEval', '--questions');
  const options = {
    ...DEFAULT_SELF_INSTRUCT,
    tests: numberFlag('tests', values.tests, DEFAULT_SELF_INSTRUCT.tests, 1, true, 50),
    solutions: numberFlag('solutions', values.solutions, DEFAULT_SELF_INSTRUCT.solutions, 1, true, 100),
    temperature: numberFlag('temperature', values.temperature, DEFAULT_SELF_INSTRUCT.temperature, 0, false),
    maxNewTokens: numberFlag('max-tokens', values['max-tokens'], DEFAULT_SELF_INSTRUCT.maxNewTokens, 16),
    seed: numberFlag('seed', values.seed, DEFAULT_SELF_INSTRUCT.seed, 0),
    ...sandboxLimits(values),
  };
  const limit = numberFlag('limit', values.limit, Infinity, 1);
  const questions = readQuestions(questionsFile);
  if (!fs.existsSync(path.dirname(path.resolve(values.out)))) {
    throw new InfillError(
      'file-not-found',
      `The folder of ${values.out} does not exist`,
      'Create it, or give --out a file in an existing folder',
    );
  }
  const done = doneIds(values.out);
  const todo = questions.filter((q) => !done.has(q.id)).slice(0, limit);
  const summary = {
    questions: questions.length,
    skipped: questions.filter((q) => done.has(q.id)).length,
    written: 0,
    solved: 0,
    out: values.out,
  };
  if (!todo.length) {
    if (values.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else
      process.stderr.write(
        `# nothing to do: all ${summary.skipped} questions of ${questionsFile} are in ${values.out}\n`,
      );
    return 0;
  }

  const { engine, backend, notes } = await loadHarnessEngine(values);
  const tty = Boolean(process.stderr.isTTY);
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'selfinstruct [{bar}] {value}/{total} questions | {solved} solved | {id}',
    hideCursor: true,
    clearOnComplete: false,
  });
  // Ctrl+C stops after the row in progress is dropped; rows already written stay, and a new run resumes.
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    if (!values.json) for (const note of notes) process.stderr.write(`# ${note}\n`);
    if (summary.skipped && !values.json)
      process.stderr.write(`# resuming: ${summary.skipped} questions already in ${values.out} are skipped\n`);
    if (tty) bar.start(todo.length, 0, { solved: 0, id: todo[0]!.id });
    for (const q of todo) {
      const row = await selfInstructOne(q, { backend }, options, controller.signal);
      appendRow(values.out, row);
      summary.written++;
      if (row.solution !== null) summary.solved++;
      if (tty) bar.increment({ solved: summary.solved, id: q.id });
      else if (!values.json)
        process.stderr.write(
          `selfinstruct ${summary.written}/${todo.length} ${q.id}: ${row.tests.length} tests, ${row.solution === null ? `no solution passed (${row.attempts} tried)` : `solved at attempt ${row.attempts}`}\n`,
        );
    }
  } finally {
    if (tty) bar.stop();
    process.removeListener('SIGINT', onSigint);
    await engine.dispose();
  }
  if (values.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else
    process.stdout.write(
      `${summary.written} rows appended to ${values.out} (${summary.solved} with a passing solution, ${summary.written - summary.solved} with solution null); ${summary.skipped} skipped as already done\n`,
    );
  return 0;
}
