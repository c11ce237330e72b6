// Engine benchmark: Infill's engine vs transformers.js generate() on the same model, in the same run.
//  - time to first token (cold) and decode tokens/s at prompts of 16 / 256 / 1,024 / 2,048 tokens;
//  - one character typed at 1,024 tokens of context: Infill warm (KV-cache reuse) vs cold, and transformers.js.
// Writes bench/results/engine.json and the table in bench/README.md.
// Usage: npm run bench [-- --model DIR --variant fp32|q8 --threads N]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { AutoModelForCausalLM, env, Tensor, type PreTrainedModel } from '@huggingface/transformers';
import { Engine } from '../src/core/engine';
import { buildFimPrompt } from '../src/core/fim';
import { shippedModelDir } from '../src/core/shippedModel';
import { replaceResultsBlock } from './table';

const { values } = parseArgs({ options: { model: { type: 'string' }, variant: { type: 'string' }, threads: { type: 'string' }, repeats: { type: 'string' } } });
const modelDir = path.resolve(values.model ?? shippedModelDir(__dirname));
const variant = (values.variant ?? 'fp32') as 'fp32' | 'q8';
const threads = Number(values.threads ?? 2);
const repeats = Number(values.repeats ?? 3);
const DECODE = 64;
const LENGTHS = [16, 256, 1024, 2048];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function timeIt(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const engine = await Engine.load({ modelDir, variant, provider: 'cpu', threads });
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(modelDir) + path.sep;
  const tjs: PreTrainedModel = await AutoModelForCausalLM.from_pretrained(path.basename(modelDir), {
    dtype: variant, local_files_only: true, device: 'cpu', session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
  });
  const source = fs.readFileSync(path.join(__dirname, '..', 'test', 'fixtures', 'long_module.py'), 'utf8');
  const all = [1, ...engine.tokenizer.encode(source + source)];

  // Time to first token: a whole cold request for 1 new token. Decode rate: from the first to the last of 65 new tokens
  // (eos masked out), timed inside each engine (Infill's result, transformers.js' streamer).
  const infill = async (ids: number[], n: number, lookup = true) => {
    engine.clearCache();
    return engine.generate({ promptIds: ids, maxNewTokens: n, minNewTokens: n, ...(lookup ? {} : { lookup: { maxDraft: 0 } }) });
  };
  const tjsGenerate = (ids: number[], n: number) => tjs.generate({
    input_ids: new Tensor('int64', BigInt64Array.from(ids, (x) => BigInt(x)), [1, ids.length]),
    max_new_tokens: n, min_new_tokens: n, do_sample: false,
  });
  /** transformers.js decode timing from its streamer: put() is called with the prompt, then once per new token. */
  const tjsDecodeRate = async (ids: number[], n: number) => {
    const stamps: number[] = [];
    const streamer = { put: () => { stamps.push(performance.now()); }, end: () => undefined };
    await tjs.generate({
      input_ids: new Tensor('int64', BigInt64Array.from(ids, (x) => BigInt(x)), [1, ids.length]),
      max_new_tokens: n, min_new_tokens: n, do_sample: false, streamer: streamer as never,
    });
    const tokens = stamps.slice(1);
    return ((tokens.length - 1) * 1000) / (tokens[tokens.length - 1]! - tokens[0]!);
  };

  const rows = [];
  for (const n of LENGTHS) {
    const ids = all.slice(0, n);
    await infill(ids, 2); await tjsGenerate(ids, 2); // warm-up
    const infTtft: number[] = [], infRate: number[] = [], plainRate: number[] = [], tjsTtft: number[] = [], tjsRate: number[] = [];
    const drafted0 = engine.draftStats.drafted, accepted0 = engine.draftStats.accepted;
    let generated = 0;
    for (let r = 0; r < repeats; r++) {
      infTtft.push(await timeIt(() => infill(ids, 1)));
      const decoded = await infill(ids, DECODE + 1);
      infRate.push(decoded.tokensPerSecond);
      generated += decoded.generatedTokens;
      plainRate.push((await infill(ids, DECODE + 1, false)).tokensPerSecond);
      tjsTtft.push(await timeIt(() => tjsGenerate(ids, 1)));
      tjsRate.push(await tjsDecodeRate(ids, DECODE + 1));
    }
    const infDecode = median(infRate);
    const plainDecode = median(plainRate);
    const tjsDecode = median(tjsRate);
    const accepted = engine.draftStats.accepted - accepted0;
    const row = {
      promptTokens: n,
      infillTtftMs: round(median(infTtft)), transformersJsTtftMs: round(median(tjsTtft)),
      infillDecodeTokensPerSecond: round(infDecode), transformersJsDecodeTokensPerSecond: round(tjsDecode),
      decodeRatio: round(infDecode / tjsDecode, 2),
      infillNoLookupDecodeTokensPerSecond: round(plainDecode), noLookupDecodeRatio: round(plainDecode / tjsDecode, 2),
      draftTokens: engine.draftStats.drafted - drafted0, acceptedDraftTokens: accepted,
      shareOfTokensFromDrafts: round(accepted / generated, 2), ttftRatio: round(median(tjsTtft) / median(infTtft), 2),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }

  // One character typed at ~1,024 tokens of context: a FIM prompt whose prefix grows by one character.
  const cut = source.indexOf('\n', Math.floor(source.length * 0.55));
  const prefix = source.slice(Math.max(0, cut - 2900), cut + 1) + '    retu';
  const suffix = source.slice(cut + 1, cut + 400);
  const before = buildFimPrompt(engine.tokenizer, prefix, suffix, { order: 'psm' }).ids;
  const after = buildFimPrompt(engine.tokenizer, prefix + 'r', suffix, { order: 'psm' }).ids;
  const typedCold: number[] = [], typedWarm: number[] = [], typedTjs: number[] = [];
  for (let r = 0; r < repeats + 2; r++) {
    engine.clearCache();
    typedCold.push((await engine.generate({ promptIds: after, maxNewTokens: 1 })).timeToFirstTokenMs);
    engine.clearCache();
    await engine.generate({ promptIds: before, maxNewTokens: 8 });
    const warm = await engine.generate({ promptIds: after, maxNewTokens: 1 });
    typedWarm.push(warm.timeToFirstTokenMs);
    typedTjs.push(await timeIt(() => tjsGenerate(after, 1)));
  }
  const typed = {
    contextTokens: after.length,
    reusedTokens: commonPrefix(before, after),
    infillWarmMs: round(median(typedWarm)), infillColdMs: round(median(typedCold)), transformersJsMs: round(median(typedTjs)),
    warmVsColdSpeedup: round(median(typedCold) / median(typedWarm), 2),
    warmVsTransformersJsSpeedup: round(median(typedTjs) / median(typedWarm), 2),
  };
  console.log(JSON.stringify(typed));
  await engine.dispose();
  await tjs.dispose();

  const result = {
    date: new Date().toISOString(), machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version, model: path.basename(modelDir), variant, threads, repeats, decodeTokens: DECODE,
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20), prompts: rows, typedCharacter: typed,
  };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'engine.json'), JSON.stringify(result, null, 2) + '\n');
  writeTable(result);
}

function commonPrefix(a: number[], b: number[]): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

function writeTable(r: { date: string; machine: string; model: string; variant: string; threads: number; prompts: Record<string, number>[]; typedCharacter: Record<string, number> }): void {
  const lines = [
    `Engine benchmark (${r.date.slice(0, 10)}, ${r.machine}, model ${r.model} ${r.variant}, ${r.threads} threads). Peer: transformers.js generate() on the same ONNX file in the same run.`,
    '',
    '| prompt tokens | TTFT Infill (ms) | TTFT transformers.js (ms) | decode Infill (tok/s) | decode Infill, no prompt lookup (tok/s) | decode transformers.js (tok/s) | decode ratio | ratio without lookup | new tokens from verified drafts |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.prompts.map((p) => `| ${p['promptTokens']} | ${p['infillTtftMs']} | ${p['transformersJsTtftMs']} | ${p['infillDecodeTokensPerSecond']} | ${p['infillNoLookupDecodeTokensPerSecond']} | ${p['transformersJsDecodeTokensPerSecond']} | ${p['decodeRatio']}x | ${p['noLookupDecodeRatio']}x | ${Math.round(p['shareOfTokensFromDrafts']! * 100)}% |`),
    '',
    `One character typed at ${r.typedCharacter['contextTokens']} tokens of context (time to first token; ${r.typedCharacter['reusedTokens']} tokens reused from the cache):`,
    '',
    '| Infill warm (ms) | Infill cold (ms) | transformers.js (ms) | warm vs cold | warm vs transformers.js |',
    '|---:|---:|---:|---:|---:|',
    `| ${r.typedCharacter['infillWarmMs']} | ${r.typedCharacter['infillColdMs']} | ${r.typedCharacter['transformersJsMs']} | ${r.typedCharacter['warmVsColdSpeedup']}x | ${r.typedCharacter['warmVsTransformersJsSpeedup']}x |`,
  ];
  replaceResultsBlock('engine-results', lines);
  console.log(lines.join('\n'));
}

main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
