import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { engineBackend } from '../core/backend/engineBackend';
import { completeAt } from '../core/completion/pipeline';
import type { Engine } from '../core/engine';
import { bundledDataset } from '../core/bundledData';
import { InfillError } from '../core/errors';
import type { FimOrderSetting } from '../core/fim';
import {
  fimSite,
  middleFromCompletion,
  readFimTasks,
  runFimEval,
  type FimTask,
  type MiddleSource,
} from '../core/harness/fimEval';
import { numberFlag } from './flags';
import { loadHarnessEngine, sandboxLimits } from './harnessEngine';

const FIM_ORDERS: readonly FimOrderSetting[] = ['auto', 'psm', 'spm'];

/** `infill eval fim`: HumanEval-infilling scored by execution, with the canonical middles or the real completion pipeline. */
export async function runEvalFim(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        dataset: { type: 'string' },
        limit: { type: 'string' },
        canonical: { type: 'boolean' },
        json: { type: 'boolean' },
        model: { type: 'string' },
        variant: { type: 'string' },
        provider: { type: 'string' },
        threads: { type: 'string' },
        'io-binding': { type: 'string' },
        'max-tokens': { type: 'string' },
        fim: { type: 'string' },
        concurrency: { type: 'string' },
        'timeout-ms': { type: 'string' },
        'memory-mb': { type: 'string' },
      },
    });
  } catch (err) {
    throw new InfillError('bad-arguments', (err as Error).message, 'Run infill --help to see the options of eval fim');
  }
  const { values, positionals } = parsed;
  if (positionals[0] !== 'fim' || positionals.length !== 1) {
    throw new InfillError(
      'bad-arguments',
      positionals[0] ? `Unknown evaluation "${positionals.join(' ')}"` : 'eval needs what to evaluate',
      'Use infill eval fim [--dataset FILE.jsonl.gz]',
    );
  }
  if (values.canonical && values.model !== undefined) {
    throw new InfillError(
      'bad-arguments',
      "--canonical scores the dataset's own middles, so --model has no use",
      'Leave out --model or --canonical',
    );
  }
  const fimOrder = values.fim ?? 'auto';
  if (!(FIM_ORDERS as readonly string[]).includes(fimOrder)) {
    throw new InfillError(
      'bad-arguments',
      `--fim ${fimOrder} is not one of ${FIM_ORDERS.join(', ')}`,
      "Use --fim psm to compare with Code Llama's published PSM numbers",
    );
  }
  const limit = values.limit === undefined ? undefined : numberFlag('limit', values.limit, 0, 1);
  const maxNewTokens = numberFlag('max-tokens', values['max-tokens'], 64, 1);
  const concurrency = numberFlag('concurrency', values.concurrency, 2, 1, true, 16);
  const limits = sandboxLimits(values);
  // Default: HumanEval-SingleLineInfilling from the repository's data/ (the Code Llama paper's single-line column).
  const dataset =
    values.dataset === undefined ? bundledDataset('fimSingleLine', '--dataset') : path.resolve(values.dataset);
  const tasks = (await readFimTasks(dataset)).slice(0, limit);

  let engine: Engine | undefined;
  let model = 'canonical';
  let source: MiddleSource = (task) => Promise.resolve({ middle: task.canonical_solution });
  const notes: string[] = [];
  if (!values.canonical) {
    const loaded = await loadHarnessEngine(values);
    engine = loaded.engine;
    notes.push(...loaded.notes);
    model = engine.info.name;
    const backend = engineBackend(engine);
    source = async (task: FimTask, signal?: AbortSignal) => {
      const site = fimSite(task);
      const started = performance.now();
      // The same pipeline as `infill complete` and the editor: context windows, single/multi-line rules, filters.
      const result = await completeAt(
        backend,
        {
          document: task.task_id,
          text: site.text,
          offset: site.offset,
          insertSpaces: true,
          tabSize: 4,
        },
        { maxNewTokens, fimOrder: fimOrder as FimOrderSetting, fimFamily: 'auto', kind: 'eval' },
        signal,
      );
      return { middle: middleFromCompletion(task, result.completion), latencyMs: performance.now() - started };
    };
  }

  const tty = process.stderr.isTTY;
  const bar = new SingleBar({
    format: 'eval fim |{bar}| {value}/{total} tasks, {passed} passed, {eta_formatted} left',
    hideCursor: true,
    clearOnComplete: true,
    stream: process.stderr,
  });
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let lastLine = 0;
  try {
    if (tty) bar.start(tasks.length, 0, { passed: 0 });
    const report = await runFimEval(tasks, source, {
      concurrency,
      ...limits,
      signal: abort.signal,
      onProgress: (done, total, passed) => {
        if (tty) {
          bar.update(done, { passed });
        } else if (done === total || performance.now() - lastLine > 5000) {
          lastLine = performance.now();
          process.stderr.write(`eval fim: ${done}/${total} tasks, ${passed} passed\n`);
        }
      },
    });
    if (tty) bar.stop();
    const round = (x: number) => Math.round(x * 10) / 10;
    const summary = {
      dataset,
      tasks: report.tasks,
      passed: report.passed,
      passAt1: report.passAt1,
      exactMatch: report.exactMatch,
      latencyMs: report.latencyMs && { p50: round(report.latencyMs.p50), p95: round(report.latencyMs.p95) },
      model,
      canonical: values.canonical === true,
      fim: values.canonical ? null : fimOrder,
      failed: report.outcomes.filter((o) => !o.passed).map((o) => ({ taskId: o.taskId, failure: o.failure })),
    };
    if (values.json) {
      process.stdout.write(JSON.stringify(summary) + '\n');
    } else {
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
      process.stdout.write(
        `${summary.tasks} tasks from ${path.basename(dataset)} (${values.canonical ? 'canonical middles' : `${model}, FIM ${fimOrder}`})\n` +
          `pass@1       ${pct(summary.passAt1)} (${summary.passed}/${summary.tasks})\n` +
          `exact match  ${pct(summary.exactMatch)}\n` +
          (summary.latencyMs ? `latency      p50 ${summary.latencyMs.p50} ms, p95 ${summary.latencyMs.p95} ms\n` : ''),
      );
      for (const f of summary.failed.slice(0, 10)) process.stdout.write(`  failed ${f.taskId}: ${f.failure ?? ''}\n`);
      if (summary.failed.length > 10)
        process.stdout.write(`  ... and ${summary.failed.length - 10} more (--json lists them all)\n`);
      for (const note of notes) process.stderr.write(`# ${note}\n`);
    }
    return 0;
  } catch (err) {
    if (abort.signal.aborted)
      throw new InfillError(
        'cancelled',
        'The evaluation was interrupted',
        'Run it again (use --limit N for a shorter run)',
      );
    throw err;
  } finally {
    if (tty) bar.stop();
    process.off('SIGINT', onSigint);
    await engine?.dispose();
  }
}
