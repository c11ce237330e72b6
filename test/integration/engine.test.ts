import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine, type GenerateResult } from '../../src/core/engine';
import { buildFimPrompt } from '../../src/core/fim';
import { copyModel, REPO_ROOT, SHIPPED_MODEL, sharedEngine } from '../helpers/model';
import { transformersJsGreedy } from '../helpers/transformersJs';

const pythonSource = fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'long_module.py'), 'utf8');

/** Prompts of several kinds; the last one is over 1,000 tokens. */
function prompts(engine: Engine): number[][] {
  const t = engine.tokenizer;
  return [
    buildFimPrompt(t, 'def add(a, b):\n    return ', '\n\n\nprint(add(1, 2))\n', { order: 'psm' }).ids,
    buildFimPrompt(
      t,
      'class Point:\n    def __init__(self, x, y):\n        self.x = x\n',
      '\n    def norm(self):\n        return 0\n',
      { order: 'spm' },
    ).ids,
    [1, ...t.encode('import os\nimport sys\n\n\ndef main():\n    ')],
    [1, ...t.encode('# Grüße 🦙\nwhile True:\n    line = input()\n    if not line:\n')],
    buildFimPrompt(t, 'for i in range(10):\n    ', '\n', { order: 'psm' }).ids,
    [1, ...t.encode(pythonSource)].slice(0, 1100),
  ];
}

const stopIds = (e: Engine) => [...e.eosTokenIds, 32010];
const trimStop = (tokens: number[], stops: number[]) =>
  stops.includes(tokens[tokens.length - 1]!) ? tokens.slice(0, -1) : tokens;

describe('engine on the shipped model (real onnxruntime, real weights)', function () {
  this.timeout(300000);

  it('reads every shape from config.json and the ONNX graph', async () => {
    const engine = await sharedEngine();
    const config = JSON.parse(fs.readFileSync(path.join(SHIPPED_MODEL, 'config.json'), 'utf8')) as Record<
      string,
      number
    >;
    assert.equal(engine.info.config.numLayers, config['num_hidden_layers']);
    assert.equal(engine.info.config.numKvHeads, config['num_key_value_heads']);
    assert.ok(engine.info.config.numKvHeads < engine.info.config.numHeads, 'grouped-query attention');
    assert.equal(engine.info.signature.kvHeads, config['num_key_value_heads']);
    assert.equal(engine.info.signature.headDim, config['head_dim']);
    assert.equal(engine.info.signature.pastNames.length, 2 * config['num_hidden_layers']!);
    assert.equal(engine.info.signature.kvType, 'float32');
    // The fused export (models/build/fuse.py): rotary positions come from the attention op, past and present share buffers.
    assert.equal(engine.info.signature.hasPositionIds, false);
    assert.equal(engine.info.signature.logitsToKeepName, 'num_logits_to_keep');
    assert.equal(engine.info.kvLayout, 'shared');
    assert.equal(engine.info.fimFamily, 'codellama');
    assert.match(engine.info.providerNote, /^execution provider: CPU/);
  });

  for (const dtype of ['fp32', 'q8'] as const) {
    it(`greedy output equals transformers.js generate() token for token (${dtype}, 6 prompts, one over 1,000 tokens)`, async () => {
      const engine = await sharedEngine({ variant: dtype });
      assert.equal(engine.info.variant, dtype);
      const ps = prompts(engine);
      assert.ok(ps[ps.length - 1]!.length > 1000);
      const reference = await transformersJsGreedy(SHIPPED_MODEL, dtype, ps, 24);
      for (const [i, ids] of ps.entries()) {
        engine.clearCache();
        const ours = await engine.generate({ promptIds: ids, maxNewTokens: 24, stopTokenIds: [32010] });
        assert.deepEqual(ours.tokens, trimStop(reference[i]!, stopIds(engine)), `prompt ${i}`);
      }
    });
  }

  it('prompt lookup: drafts verified in one pass give exactly the tokens of one-at-a-time greedy decoding', async () => {
    const engine = await sharedEngine();
    const source = pythonSource.slice(0, 2500);
    const cases = [
      { promptIds: [1, ...engine.tokenizer.encode(source)], maxNewTokens: 48 },
      { promptIds: [1, ...engine.tokenizer.encode(source)], maxNewTokens: 48, minNewTokens: 48 },
      {
        promptIds: buildFimPrompt(engine.tokenizer, source.slice(0, 1800), source.slice(1900), { order: 'psm' }).ids,
        maxNewTokens: 40,
        stopTokenIds: [32010],
      },
    ];
    const before = { ...engine.draftStats };
    for (const [i, request] of cases.entries()) {
      engine.clearCache();
      const plain = await engine.generate({ ...request, lookup: { maxDraft: 0 } });
      engine.clearCache();
      const drafted = await engine.generate(request);
      assert.deepEqual(drafted.tokens, plain.tokens, `case ${i}`);
      assert.equal(drafted.stopReason, plain.stopReason, `case ${i}`);
      // A stop string that falls inside a run of accepted draft tokens ends the text at the same place.
      const stopAt = plain.text.slice(10, 14);
      if (stopAt.trim().length === 4) {
        const a = await engine.generate({ ...request, lookup: { maxDraft: 0 }, stopStrings: [stopAt] });
        const b = await engine.generate({ ...request, stopStrings: [stopAt] });
        assert.equal(b.text, a.text, `case ${i} with stop string ${JSON.stringify(stopAt)}`);
        assert.equal(b.stopReason, 'stop-string');
      }
    }
    assert.ok(
      engine.draftStats.accepted - before.accepted > 0,
      'some drafted tokens were accepted, so the verification path ran',
    );
    assert.ok(engine.draftStats.drafted > engine.draftStats.accepted, 'some were rejected, so the cache was cut back');
  });

  it('a warm request (shared prefix reused from the cache) equals a cold one', async () => {
    const engine = await sharedEngine();
    const ids = [1, ...engine.tokenizer.encode(pythonSource)].slice(0, 900);
    engine.clearCache();
    const cold = await engine.generate({ promptIds: ids, maxNewTokens: 32 });
    assert.equal(cold.reusedTokens, 0);
    engine.clearCache();
    await engine.generate({ promptIds: ids.slice(0, 600), maxNewTokens: 4 });
    const warm = await engine.generate({ promptIds: ids, maxNewTokens: 32 });
    assert.equal(warm.reusedTokens, 600);
    assert.deepEqual(warm.tokens, cold.tokens);
    const again = await engine.generate({ promptIds: ids, maxNewTokens: 32 });
    assert.equal(again.reusedTokens, ids.length - 1, 'the same prompt again reuses all but the last token');
    assert.deepEqual(again.tokens, cold.tokens);
    const diverged = await engine.generate({
      promptIds: [...ids.slice(0, 500), ...ids.slice(501, 700)],
      maxNewTokens: 8,
    });
    assert.equal(diverged.reusedTokens, 500);
  });

  it('streams text deltas that add up to the result, and reports timings', async () => {
    const engine = await sharedEngine();
    const deltas: string[] = [];
    const prompt = buildFimPrompt(engine.tokenizer, 'def mean(values):\n    ', '\n', { order: 'psm' });
    const r = await engine.generate({
      promptIds: prompt.ids,
      maxNewTokens: 40,
      stopTokenIds: prompt.stopTokenIds,
      onText: (d) => deltas.push(d),
    });
    assert.equal(deltas.join(''), r.text);
    assert.equal(r.text, engine.tokenizer.decodeContinuation(r.tokens));
    assert.equal(r.promptTokens, prompt.ids.length);
    assert.ok(r.timeToFirstTokenMs > 0 && r.totalMs >= r.timeToFirstTokenMs);
  });

  it('stops at max tokens, at a stop string, and at the deadline', async () => {
    const engine = await sharedEngine();
    const ids = [1, ...engine.tokenizer.encode(pythonSource.slice(0, 2000))];
    const capped = await engine.generate({ promptIds: ids, maxNewTokens: 5 });
    assert.equal(capped.stopReason === 'max-tokens' ? capped.generatedTokens : 5, 5);
    const free = await engine.generate({ promptIds: ids, maxNewTokens: 60, minNewTokens: 60 });
    assert.ok(free.text.length >= 8, `enough text to cut: ${JSON.stringify(free.text)}`);
    const stopAt = free.text.slice(3, 7);
    const stopped = await engine.generate({
      promptIds: ids,
      maxNewTokens: 60,
      minNewTokens: 60,
      stopStrings: [stopAt],
    });
    assert.equal(stopped.stopReason, 'stop-string');
    assert.equal(stopped.text, free.text.slice(0, free.text.indexOf(stopAt)));
    const late = await engine.generate({ promptIds: ids, maxNewTokens: 10000, deadlineMs: 30 });
    assert.ok(['deadline', 'eos', 'stop-token', 'context-full'].includes(late.stopReason), late.stopReason);
    assert.ok(late.totalMs < 1000, `deadline of 30 ms honoured (took ${late.totalMs.toFixed(0)} ms)`);
  });

  it('a FIM end token that generation_config also lists as eos ends the middle as stop-token, not eos', async () => {
    // The shipped generation_config.json lists ▁<EOT> (32010) among its eos ids; a copy without it tells which token
    // ended each middle. Both must give the same text and the same reason.
    const listed = await sharedEngine();
    assert.ok(listed.eosTokenIds.includes(32010), 'the shipped model lists ▁<EOT> as an eos id');
    const dir = copyModel((d) => {
      const file = path.join(d, 'generation_config.json');
      const gen = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      fs.writeFileSync(file, JSON.stringify({ ...gen, eos_token_id: 2 }));
    });
    const plain = await Engine.load({ modelDir: dir, provider: 'cpu', threads: 1 });
    try {
      assert.ok(!plain.eosTokenIds.includes(32010));
      const cases = fs
        .readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'fim-endings', 'cases.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { prefix: string; suffix: string });
      let endedByEot = 0;
      for (const c of cases) {
        const prompt = buildFimPrompt(listed.tokenizer, c.prefix, c.suffix, { order: 'spm' });
        const request = { promptIds: prompt.ids, maxNewTokens: 64, stopTokenIds: prompt.stopTokenIds };
        const a = await listed.generate(request);
        const b = await plain.generate(request);
        assert.equal(a.text, b.text);
        assert.equal(a.stopReason, b.stopReason, JSON.stringify(a.text));
        if (b.stopReason === 'stop-token') endedByEot++;
      }
      assert.ok(endedByEot > 0, 'some middles ended with ▁<EOT>');
    } finally {
      await plain.dispose();
    }
  });

  it('an AbortSignal ends generation within one forward step', async () => {
    const engine = await sharedEngine();
    const ids = [1, ...engine.tokenizer.encode(pythonSource.slice(0, 3000))];
    const controller = new AbortController();
    let abortedAt = 0;
    let steps = 0;
    const pending = engine.generate(
      {
        promptIds: ids,
        maxNewTokens: 10000,
        onText: () => {
          if (++steps === 3) {
            abortedAt = performance.now();
            controller.abort();
          }
        },
      },
      controller.signal,
    );
    const r: GenerateResult = await pending;
    const latency = performance.now() - abortedAt;
    assert.equal(r.stopReason, 'aborted');
    assert.ok(r.generatedTokens <= steps + 2, `generated ${r.generatedTokens} after abort at ${steps}`);
    const perStep = (r.totalMs - r.timeToFirstTokenMs) / Math.max(1, r.generatedTokens - 1);
    assert.ok(latency < perStep * 3 + 50, `abort latency ${latency.toFixed(1)} ms vs ${perStep.toFixed(1)} ms a step`);
  });

  it('a newer request of the same kind preempts an older one; other kinds wait their turn', async () => {
    const engine = await sharedEngine();
    const ids = [1, ...engine.tokenizer.encode(pythonSource.slice(0, 1500))];
    const first = engine.generate({ promptIds: ids, maxNewTokens: 200, kind: 'complete' });
    const second = engine.generate({ promptIds: ids, maxNewTokens: 3, kind: 'complete' });
    const other = engine.generate({ promptIds: ids, maxNewTokens: 3, kind: 'chat' });
    const [a, b, c] = await Promise.all([first, second, other]);
    assert.equal(a.stopReason, 'preempted');
    assert.notEqual(b.stopReason, 'preempted');
    assert.notEqual(c.stopReason, 'preempted');
  });

  it('samples with a seed repeatably', async () => {
    const engine = await sharedEngine();
    const ids = [1, ...engine.tokenizer.encode('def parse(text):\n    ')];
    const sampling = { temperature: 0.9, topK: 40, topP: 0.95, seed: 42 };
    const a = await engine.generate({ promptIds: ids, maxNewTokens: 20, sampling });
    const b = await engine.generate({ promptIds: ids, maxNewTokens: 20, sampling });
    assert.deepEqual(a.tokens, b.tokens);
  });
});
