// One runtime of the engine benchmark, measured in a process of its own (bench/engine.ts starts it): no other
// runtime's threads, garbage or caches share its process.
//   node --import tsx bench/engineWorker.ts RUNTIME MODEL_DIR VARIANT THREADS REPEATS
// RUNTIME: infill | infill-no-lookup | transformersjs. Prints one JSON line (EngineWorkerResult).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildFimPrompt } from '../src/core/fim';

const DECODE = 64;
const LENGTHS = [16, 256, 1024, 2048];

export interface EngineWorkerResult {
  runtime: string;
  decodeTokens: number;
  /** Per prompt length: time to first token (a whole cold request for 1 new token), decode tok/s over 64 tokens. */
  prompts: {
    promptTokens: number;
    ttftMs: number;
    decodeTokensPerSecond: number;
    generatedTokens: number;
    draftedTokens?: number;
    acceptedDraftTokens?: number;
  }[];
  /** One character typed at ~1,000 tokens of context: time to its first token, warm (KV reused) and cold. */
  typed: { contextTokens: number; reusedTokens: number; warmMs?: number; coldMs: number };
}

interface Runner {
  generate(
    ids: number[],
    n: number,
    keepCache?: boolean,
  ): Promise<{ ttftMs: number; tokensPerSecond: number; generated: number; reused: number }>;
  encode(text: string): number[];
  tokenizer: Parameters<typeof buildFimPrompt>[0];
  drafts?: () => { drafted: number; accepted: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function infillRunner(
  modelDir: string,
  variant: 'fp32' | 'q8',
  threads: number,
  lookup: boolean,
): Promise<Runner> {
  const { Engine } = await import('../src/core/engine');
  const engine = await Engine.load({ modelDir, variant, provider: 'cpu', threads });
  return {
    tokenizer: engine.tokenizer,
    encode: (text) => engine.tokenizer.encode(text),
    drafts: () => ({ ...engine.draftStats }),
    async generate(ids, n, keepCache = false) {
      if (!keepCache) engine.clearCache();
      const r = await engine.generate({
        promptIds: ids,
        maxNewTokens: n,
        minNewTokens: n,
        ...(lookup ? {} : { lookup: { maxDraft: 0 } }),
      });
      return {
        ttftMs: r.timeToFirstTokenMs,
        tokensPerSecond: r.tokensPerSecond,
        generated: r.generatedTokens,
        reused: r.reusedTokens,
      };
    },
  };
}

/** transformers.js generate(): time to first token and decode rate from its streamer (put() per new token). */
async function transformersJsRunner(modelDir: string, variant: 'fp32' | 'q8', threads: number): Promise<Runner> {
  const { AutoModelForCausalLM, env, Tensor } = await import('@huggingface/transformers');
  const { Tokenizer } = await import('../src/core/engine/tokenizer');
  env.allowRemoteModels = false;
  const { localModelFolder } = await import('../src/core/engine/localModelFolder');
  const model = await AutoModelForCausalLM.from_pretrained(localModelFolder(modelDir), {
    dtype: variant,
    local_files_only: true,
    device: 'cpu',
    session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
  });
  const tokenizer = await Tokenizer.load(modelDir); // the same ids as Infill's prompts
  return {
    tokenizer,
    encode: (text) => tokenizer.encode(text),
    async generate(ids, n) {
      const stamps: number[] = [];
      const t0 = performance.now();
      const streamer = {
        put: () => {
          stamps.push(performance.now());
        },
        end: () => undefined,
      };
      await model.generate({
        input_ids: new Tensor(
          'int64',
          BigInt64Array.from(ids, (x) => BigInt(x)),
          [1, ids.length],
        ),
        max_new_tokens: n,
        min_new_tokens: n,
        do_sample: false,
        streamer: streamer as never,
      });
      const tokens = stamps.slice(1); // the first put() is the prompt
      const span = tokens[tokens.length - 1]! - tokens[0]!;
      return {
        ttftMs: tokens[0]! - t0,
        tokensPerSecond: tokens.length > 1 && span > 0 ? ((tokens.length - 1) * 1000) / span : 0,
        generated: tokens.length,
        reused: 0,
      };
    },
  };
}

async function main(): Promise<void> {
  const [runtime, modelDir, variantArg, threadsArg, repeatsArg] = process.argv.slice(2) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const variant = variantArg as 'fp32' | 'q8';
  const threads = Number(threadsArg),
    repeats = Number(repeatsArg);
  const runner =
    runtime === 'transformersjs'
      ? await transformersJsRunner(modelDir, variant, threads)
      : await infillRunner(modelDir, variant, threads, runtime === 'infill');
  const source = fs.readFileSync(path.join(__dirname, '..', 'test', 'fixtures', 'long_module.py'), 'utf8');
  const all = [1, ...runner.encode(source + source)];

  const prompts: EngineWorkerResult['prompts'] = [];
  for (const n of LENGTHS) {
    const ids = all.slice(0, n);
    // Warm-up: the first long runs of a new length pay for fresh allocations (page faults), in both runtimes.
    for (let w = 0; w < 3; w++) await runner.generate(ids, 2);
    const before = runner.drafts?.();
    const ttft: number[] = [],
      rate: number[] = [];
    let generated = 0;
    for (let r = 0; r < repeats; r++) {
      ttft.push((await runner.generate(ids, 1)).ttftMs);
      const d = await runner.generate(ids, DECODE + 1);
      rate.push(d.tokensPerSecond);
      generated += d.generated;
    }
    const after = runner.drafts?.();
    prompts.push({
      promptTokens: n,
      ttftMs: median(ttft),
      decodeTokensPerSecond: median(rate),
      generatedTokens: generated,
      ...(before && after
        ? { draftedTokens: after.drafted - before.drafted, acceptedDraftTokens: after.accepted - before.accepted }
        : {}),
    });
  }

  // One character typed at ~1,024 tokens of context: a FIM prompt whose prefix grows by one character.
  const cut = source.indexOf('\n', Math.floor(source.length * 0.55));
  const prefix = source.slice(Math.max(0, cut - 2900), cut + 1) + '    retu';
  const suffix = source.slice(cut + 1, cut + 400);
  const before = buildFimPrompt(runner.tokenizer, prefix, suffix, { order: 'psm' }).ids;
  const after = buildFimPrompt(runner.tokenizer, prefix + 'r', suffix, { order: 'psm' }).ids;
  const cold: number[] = [],
    warm: number[] = [];
  let reused = 0;
  for (let r = 0; r < repeats + 2; r++) {
    cold.push((await runner.generate(after, 1)).ttftMs);
    if (runtime === 'transformersjs') continue;
    await runner.generate(before, 8);
    const w = await runner.generate(after, 1, true);
    warm.push(w.ttftMs);
    reused = w.reused;
  }
  const result: EngineWorkerResult = {
    runtime,
    decodeTokens: DECODE,
    prompts,
    typed: {
      contextTokens: after.length,
      reusedTokens: reused,
      coldMs: median(cold),
      ...(warm.length ? { warmMs: median(warm) } : {}),
    },
  };
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
