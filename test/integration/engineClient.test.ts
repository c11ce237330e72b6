import type { GenerateParams } from '../../src/core/backend/types';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENGINE_MALLOC_TUNABLES } from '../../src/engine-client/processEnv';
import { EngineClient, EngineError, type EngineState } from '../../src/engine-client/client';
import { REPO_ROOT, SHIPPED_MODEL } from '../helpers/model';

const HOST = path.join(REPO_ROOT, 'dist', 'engine-host.js');

function client(overrides: { modelDir?: string; idleMs?: number } = {}) {
  const states: EngineState[] = [];
  const logs: string[] = [];
  const c = new EngineClient({
    hostScript: HOST,
    loadParams: () => ({
      modelDir: overrides.modelDir ?? SHIPPED_MODEL,
      variant: 'auto',
      provider: 'cpu',
      threads: 1,
      ioBinding: true,
    }),
    idleMs: () => overrides.idleMs ?? 0,
    log: (_level, line) => logs.push(line),
    onStatus: (s) => {
      if (states[states.length - 1] !== s.state) states.push(s.state);
    },
    backoffMs: () => 200,
  });
  return { c, states, logs };
}

const until = async (cond: () => boolean, ms = 20000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const completeParams = {
  prefix: 'def mean(values):\n    ',
  suffix: '\n',
  maxNewTokens: 8,
  fimOrder: 'auto',
  fimFamily: 'auto',
  kind: 'inline',
} as const;
/**
 * A long plain continuation (the shipped model writes about 570 tokens here before </s>): what a request still running
 * looks like. A FIM middle ends within a few tokens, since the model ends its middles with ▁<EOT>.
 */
const longParams: GenerateParams = {
  prompt: 'import os\nimport sys\n\n\ndef main():\n    ',
  addSpecialTokens: true,
  maxNewTokens: 4000,
  stopStrings: [],
  kind: 'test-long',
};

describe('engine host process (real child process, real model)', function () {
  this.timeout(120000);

  it('starts lazily, loads the model, completes, and reports its states', async () => {
    const { c, states } = client();
    try {
      assert.equal(c.current.state, 'stopped');
      assert.equal(c.hostPid, undefined, 'nothing runs before first use');
      const r = await c.request('complete', { ...completeParams });
      assert.equal(typeof r.text, 'string');
      assert.equal(r.fimFormat, 'codellama-spm', 'indentation healed: the prefix ends a line');
      assert.deepEqual(states, ['starting', 'loading', 'ready', 'generating', 'ready']);
      assert.equal(c.current.model?.provider, 'cpu');
      assert.notEqual(c.hostPid, process.pid);
      if (process.platform === 'linux') {
        // The host starts with the malloc settings that keep decode steps on warm pages (processEnv.ts).
        // (glibc cuts the variable at each ':' in place while it parses it, so look for each setting.)
        const environ = fs.readFileSync(`/proc/${c.hostPid}/environ`, 'utf8');
        assert.ok(environ.includes('GLIBC_TUNABLES=glibc.malloc.'), 'GLIBC_TUNABLES is set');
        for (const setting of ENGINE_MALLOC_TUNABLES.split(':')) assert.ok(environ.includes(setting), setting);
      }
    } finally {
      c.dispose();
    }
  });

  it('cancels a running request in the host', async () => {
    const { c } = client();
    try {
      await c.ensureLoaded();
      const controller = new AbortController();
      const pending = c.request('generate', longParams, controller.signal, () => controller.abort());
      const r = await pending;
      assert.equal(r.stopReason, 'aborted');
      assert.ok(r.generatedTokens! < 10, 'a local engine counts what it generated');
    } finally {
      c.dispose();
    }
  });

  it('restarts the host with backoff when it crashes; the caller gets an error, not a hang', async () => {
    const { c, states, logs } = client();
    try {
      await c.ensureLoaded();
      const pid = c.hostPid!;
      const pending = c.request('generate', longParams);
      await until(() => c.current.state === 'generating');
      process.kill(pid, 'SIGKILL');
      await assert.rejects(pending, /engine host was killed \(SIGKILL\)/);
      assert.equal(c.current.state, 'restarting');
      await until(() => c.current.state === 'ready');
      assert.notEqual(c.hostPid, pid);
      assert.ok(states.includes('restarting'));
      assert.ok(logs.some((l) => /restarting in/.test(l)));
      const r = await c.request('complete', { ...completeParams });
      assert.equal(typeof r.text, 'string');
    } finally {
      c.dispose();
    }
  });

  it('stops the idle host to release memory, and starts again on the next request', async () => {
    const { c } = client({ idleMs: 300 });
    try {
      await c.request('complete', { ...completeParams });
      const pid = c.hostPid!;
      await until(() => c.current.state === 'stopped');
      assert.equal(c.hostPid, undefined);
      await until(() => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      });
      await c.request('complete', { ...completeParams });
      assert.equal(c.current.state, 'ready');
    } finally {
      c.dispose();
    }
  });

  it('a bad model folder is an actionable error, and the state says so', async () => {
    const { c } = client({ modelDir: '/no/such/model' });
    try {
      await assert.rejects(
        c.request('complete', { ...completeParams }),
        (err: unknown) =>
          err instanceof EngineError && err.wire.code === 'model-not-found' && /does not exist/.test(err.message),
      );
      assert.equal(c.current.state, 'error');
    } finally {
      c.dispose();
    }
  });
});
