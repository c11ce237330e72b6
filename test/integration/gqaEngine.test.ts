import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine';
import { REPO_ROOT } from '../helpers/model';
import { transformersJsGreedy } from '../helpers/transformersJs';

const GQA_MODEL = path.join(REPO_ROOT, 'test', 'fixtures', 'gqa-int4');
const CONCAT_MODEL = path.join(REPO_ROOT, 'test', 'fixtures', 'concat-q8');
const tokens = (n: number, salt: number) => [
  1,
  ...Array.from({ length: n - 1 }, (_, i) => 100 + ((i * 7919 + salt * 104729) % 30000)),
];

// Both runtimes: onnxruntime's C API with IO binding (the default on CPU) and onnxruntime-node's session API (the
// fallback where the C API can't load).
for (const ioBinding of [true, false])
  describe(`engine on a GroupQueryAttention + MatMulNBits int4 export (shared KV buffers), ${ioBinding ? 'IO binding' : 'session API'}`, function () {
    this.timeout(120000);
    const runtime = ioBinding ? 'io-binding' : 'session-api';
    let engine: Engine;
    before(async () => {
      engine = await Engine.load({ modelDir: GQA_MODEL, threads: 2, ioBinding });
    });
    after(async () => {
      await engine.dispose();
    });

    it('loads the int4 file and finds that past and present can share one buffer', () => {
      assert.equal(engine.info.variant, 'q4');
      assert.equal(engine.info.runtime, runtime);
      assert.equal(engine.info.kvLayout, 'shared');
      assert.equal(engine.info.signature.logitsToKeepName, 'num_logits_to_keep');
    });

    it('a concatenating export keeps the concat layout, and its warm runs equal cold ones', async () => {
      const concat = await Engine.load({ modelDir: CONCAT_MODEL, threads: 2, ioBinding });
      try {
        assert.equal(concat.info.kvLayout, 'concat');
        assert.equal(concat.info.runtime, runtime);
        assert.equal(concat.info.signature.hasPositionIds, true);
        const base = tokens(400, 6);
        const expected = await transformersJsGreedy(CONCAT_MODEL, 'q8', [base], 20);
        const cold = await concat.generate({ promptIds: base, maxNewTokens: 20, minNewTokens: 20 });
        assert.deepEqual(cold.tokens, expected[0]);
        const warm = await concat.generate({
          promptIds: [...base.slice(0, 350), 7000],
          maxNewTokens: 20,
          minNewTokens: 20,
        });
        assert.equal(warm.reusedTokens, 350);
        concat.clearCache();
        assert.deepEqual(
          warm.tokens,
          (await concat.generate({ promptIds: [...base.slice(0, 350), 7000], maxNewTokens: 20, minNewTokens: 20 }))
            .tokens,
        );
      } finally {
        await concat.dispose();
      }
    });

    it('a concatenating export without logits_to_keep verifies prompt-lookup drafts too (cache copied back on a rejection)', async () => {
      const concat = await Engine.load({ modelDir: CONCAT_MODEL, threads: 2, ioBinding });
      try {
        assert.equal(concat.info.signature.logitsToKeepName, undefined);
        const source = fs
          .readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'long_module.py'), 'utf8')
          .slice(0, 2000);
        const ids = [1, ...concat.tokenizer.encode(source)];
        const [expected] = await transformersJsGreedy(CONCAT_MODEL, 'q8', [ids], 40);
        const untilStop = await concat.generate({ promptIds: ids, maxNewTokens: 40, stopTokenIds: [32010] });
        assert.deepEqual(
          untilStop.tokens,
          expected!.filter((id) => id !== 32010 && !concat.eosTokenIds.includes(id)),
        );
        // Longer runs (end tokens masked) against one-token-at-a-time decoding on the same engine.
        const plain = await concat.generate({
          promptIds: ids,
          maxNewTokens: 60,
          minNewTokens: 60,
          lookup: { maxDraft: 0 },
        });
        const drafted = await concat.generate({ promptIds: ids, maxNewTokens: 60, minNewTokens: 60 });
        assert.deepEqual(drafted.tokens, plain.tokens);
        assert.ok(
          concat.draftStats.accepted > 0 && concat.draftStats.drafted > concat.draftStats.accepted,
          JSON.stringify(concat.draftStats),
        );
      } finally {
        await concat.dispose();
      }
    });

    it('generates what transformers.js generate() does on the same file, token for token', async () => {
      const prompts = [tokens(9, 1), tokens(300, 2), tokens(700, 3)]; // 300 and 700 cross 256-token prefill chunks
      const expected = await transformersJsGreedy(GQA_MODEL, 'q4', prompts, 40);
      for (const [i, ids] of prompts.entries()) {
        engine.clearCache();
        const r = await engine.generate({ promptIds: ids, maxNewTokens: 40, minNewTokens: 40 });
        assert.deepEqual(r.tokens, expected[i], `prompt ${i}`);
      }
    });

    it('reuses the shared cache for a shared prefix, and a warm run equals a cold one (buffers grow past 64-token steps)', async () => {
      const base = tokens(500, 4);
      engine.clearCache();
      await engine.generate({ promptIds: base, maxNewTokens: 70, minNewTokens: 70 });
      const edited = [...base.slice(0, 430), 5000, 5001, 5002];
      const warm = await engine.generate({ promptIds: edited, maxNewTokens: 90, minNewTokens: 90 });
      assert.equal(warm.reusedTokens, 430);
      engine.clearCache();
      const cold = await engine.generate({ promptIds: edited, maxNewTokens: 90, minNewTokens: 90 });
      assert.equal(cold.reusedTokens, 0);
      assert.deepEqual(warm.tokens, cold.tokens);
    });

    it('an abort ends generation within a step and leaves a usable cache', async () => {
      engine.clearCache();
      const controller = new AbortController();
      let seen = 0;
      const r = await engine.generate(
        {
          promptIds: tokens(50, 5),
          maxNewTokens: 500,
          minNewTokens: 500,
          onText: () => {
            if (++seen === 5) controller.abort();
          },
        },
        controller.signal,
      );
      assert.equal(r.stopReason, 'aborted');
      assert.ok(r.generatedTokens < 20, `stopped after ${r.generatedTokens} tokens`);
      const again = await engine.generate({ promptIds: tokens(50, 5), maxNewTokens: 10, minNewTokens: 10 });
      engine.clearCache();
      const cold = await engine.generate({ promptIds: tokens(50, 5), maxNewTokens: 10, minNewTokens: 10 });
      assert.deepEqual(again.tokens, cold.tokens);
    });
  });
