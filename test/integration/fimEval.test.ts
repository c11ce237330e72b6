import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  fimProgram,
  fimSite,
  middleFromCompletion,
  readFimTasks,
  runFimEval,
  type FimTask,
} from '../../src/core/harness/fimEval';
import { REPO_ROOT } from '../helpers/model';

const DATA = path.join(REPO_ROOT, 'data', 'human-eval-infilling');
const SINGLE_LINE = path.join(DATA, 'HumanEval-SingleLineInfilling.jsonl.gz');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function infill(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 300000, cwd: REPO_ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('FIM evaluation by execution (HumanEval-infilling, real sandbox)', function () {
  this.timeout(600000);
  let tasks: FimTask[];
  before(async function () {
    if (!fs.existsSync(SINGLE_LINE)) throw new Error(`${SINGLE_LINE} is missing: the repository carries it in data/`);
    tasks = await readFimTasks(SINGLE_LINE);
  });

  it('the canonical middles pass all 1,033 single-line tasks (this proves the harness)', async () => {
    assert.equal(tasks.length, 1033);
    const report = await runFimEval(tasks, (t) => Promise.resolve({ middle: t.canonical_solution }), {
      concurrency: 2,
    });
    const failed = report.outcomes
      .filter((o) => !o.passed)
      .slice(0, 5)
      .map((o) => `${o.taskId}: ${o.failure ?? ''}`);
    assert.deepEqual(failed, []);
    assert.equal(report.passed, 1033);
    assert.equal(report.passAt1, 1);
    assert.equal(report.exactMatch, 1);
    assert.equal(report.latencyMs, null, 'no completions were timed');
  });

  it('a deliberately wrong middle fails, with the reason', async () => {
    const task = tasks.find((t) => t.task_id === 'SingleLineInfilling/HumanEval/0/L0')!;
    assert.equal(task.canonical_solution, '    for idx, elem in enumerate(numbers):\n');
    const wrong = '    for idx, elem in enumerate(numbers[:1]):\n'; // looks at one number only: the asserts catch it
    const syntax = '    for idx, elem in enumerate(numbers)\n'; // no colon
    const middles = [wrong, syntax, task.canonical_solution];
    const report = await runFimEval(
      [task, task, task],
      () => Promise.resolve({ middle: middles.shift()!, latencyMs: 1 }),
      { concurrency: 1 },
    );
    assert.deepEqual(
      report.outcomes.map((o) => o.passed),
      [false, false, true],
    );
    assert.match(report.outcomes[0]!.failure!, /AssertionError/);
    assert.match(report.outcomes[1]!.failure!, /SyntaxError/);
    assert.equal(report.passed, 1);
    assert.deepEqual(
      report.outcomes.map((o) => o.exactMatch),
      [false, false, true],
    );
  });

  it('puts the cursor on an empty line between prompt and suffix, and scores whole lines', () => {
    const task = tasks[0]!;
    const site = fimSite(task);
    assert.equal(site.wholeLines, true);
    assert.equal(site.text, `${task.prompt}\n${task.suffix}`);
    assert.equal(site.text.slice(site.offset, site.offset + 1), '\n', 'the cursor is on an empty line');
    assert.equal(middleFromCompletion(task, '    x = 1'), '    x = 1\n');
    assert.ok(fimProgram(task, task.canonical_solution).endsWith(`check(${task.entry_point})\n`));
  });

  it('infill eval fim with the shipped model (--limit 3) prints a well-formed report', () => {
    const r = infill('eval', 'fim', '--dataset', path.relative(REPO_ROOT, SINGLE_LINE), '--limit', '3', '--json');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]!) as Record<string, unknown>;
    for (const key of ['dataset', 'tasks', 'passed', 'passAt1', 'exactMatch', 'latencyMs', 'model', 'canonical'])
      assert.ok(key in out, key);
    assert.equal(out['tasks'], 3);
    assert.equal(out['model'], 'tiny-codellama');
    assert.equal(out['canonical'], false);
    const passed = out['passed'] as number;
    assert.ok(passed >= 0 && passed <= 3);
    assert.equal(out['passAt1'], passed / 3);
    const latency = out['latencyMs'] as { p50: number; p95: number };
    assert.ok(latency.p50 > 0 && latency.p95 >= latency.p50, JSON.stringify(latency));
    assert.equal((out['failed'] as unknown[]).length, 3 - passed);
    assert.match(r.stderr, /eval fim: 3\/3 tasks/);
  });

  it('infill eval fim --canonical from a relative dataset path', () => {
    const r = infill(
      'eval',
      'fim',
      '--dataset',
      'data/human-eval-infilling/HumanEval-RandomSpanInfillingLight.jsonl.gz',
      '--canonical',
      '--limit',
      '20',
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { tasks: number; passed: number; latencyMs: unknown; model: string };
    assert.deepEqual([out.tasks, out.passed, out.latencyMs, out.model], [20, 20, null, 'canonical']);
  });

  it('infill eval fim without --dataset scores the single-line set from data/, whatever the working directory', () => {
    const r = spawnSync(process.execPath, [CLI, 'eval', 'fim', '--canonical', '--limit', '4', '--json'], {
      encoding: 'utf8',
      timeout: 300000,
      cwd: os.tmpdir(),
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { tasks: number; passed: number; dataset: string };
    assert.deepEqual([out.tasks, out.passed], [4, 4]);
    assert.equal(out.dataset, SINGLE_LINE);
  });
});
