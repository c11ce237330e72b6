// `infill doctor` and `infill models recommend` (the built CLI, this machine, the shipped model).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SetupReport } from '../../src/core/doctor/report';
import { CATALOG } from '../../src/core/models/catalog';
import { REPO_ROOT } from '../helpers/model';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const infill = (args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env } });

describe('infill doctor and infill models recommend (the built CLI)', function () {
  this.timeout(180_000);

  it('doctor prints the machine, what Infill can use, and the shipped model self-check', () => {
    const r = infill(['doctor']);
    assert.equal(r.status, 0, r.stderr);
    for (const want of [
      /^Hardware$/m,
      /\[ok {2}\] Memory: [\d.]+ GB free of [\d.]+ GB; reads at about \d+ GB\/s/,
      new RegExp(`CPU: .+, ${os.availableParallelism()} cores`),
      /^Engine$/m,
      /Provider: CPU: always available/,
      /IO binding \(koffi\): /,
      /Sandbox isolation: /,
      /Python: |Python: no python3/,
      /Node\.js: /,
      /Model: tiny-codellama \(q8, cpu\)/,
      /^FIM self-check (passed|failed): /m,
    ])
      assert.match(r.stdout, want);
  });

  it('doctor --json is the report as data; --no-model skips the model', () => {
    const r = infill(['doctor', '--json', '--no-model', '--no-bandwidth']);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as SetupReport;
    assert.equal(report.hardware.memory.totalBytes, os.totalmem());
    assert.equal(report.hardware.memoryBandwidthGBps, undefined);
    assert.ok(!report.checks.some((c) => c.section === 'Model'));
    for (const c of report.checks) assert.ok(['ok', 'warn', 'fail', 'info'].includes(c.status), JSON.stringify(c));
  });

  it('models recommend ranks the whole catalog for this machine, with a reason each', () => {
    const r = infill(['models', 'recommend', '--json', '--for', 'chat', '--context', '4096']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      role: string;
      contextTokens: number;
      models: { id: string; verdict: string; reason: string; memoryBytes: number }[];
    };
    assert.equal(out.role, 'chat');
    assert.equal(out.contextTokens, 4096);
    assert.deepEqual(out.models.map((m) => m.id).sort(), CATALOG.map((e) => e.id).sort());
    const chatless = CATALOG.filter((e) => !e.chatTemplate).map((e) => e.id);
    for (const m of out.models.filter((x) => chatless.includes(x.id))) assert.equal(m.verdict, 'unsuitable', m.id);
    const text = infill(['models', 'recommend']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^For completion on this machine \([\d.]+ GB, \d+ cores/);
    assert.match(text.stdout, / 1\. \S+ +(q8|q4|fp16|fp32) +(cpu|gpu) +\w/);
    assert.match(text.stdout, /Download the first with: infill models pull \S+ --variant \w+/);
  });

  it('bad flags are one-line errors', () => {
    const r = infill(['models', 'recommend', '--for', 'poetry']);
    assert.equal(r.status, 2);
    assert.match(r.stderr.trim(), /^infill: .*--for/);
    const d = infill(['doctor', '--frobnicate']);
    assert.equal(d.status, 2);
    assert.match(d.stderr.trim(), /^infill: .*frobnicate/);
  });
});
