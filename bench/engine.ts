// Engine benchmark: Infill's engine vs transformers.js generate() on the same model, in the same run.
//  - time to first token (cold) and decode tokens/s at prompts of 16 / 256 / 1,024 / 2,048 tokens;
//  - one character typed at 1,024 tokens of context: Infill warm (KV-cache reuse) vs cold, and transformers.js.
// Each runtime runs in a process of its own (bench/engineWorker.ts), the three of them once per round, the order
// reversed every other round; the table shows the median over rounds. In one process, transformers.js' garbage
// (its full-prompt logits) and its spinning threads landed in Infill's timings and the other way round.
// Writes bench/results/engine.json and the table in bench/README.md.
// Usage: npm run bench [-- --model DIR --variant fp32|q8 --threads N --repeats N --rounds N]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { engineProcessEnv } from '../src/engine-client/processEnv';
import { shippedModelDir } from '../src/core/shippedModel';
import type { EngineWorkerResult } from './engineWorker';
import { replaceResultsBlock } from './table';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    variant: { type: 'string' },
    threads: { type: 'string' },
    repeats: { type: 'string' },
    rounds: { type: 'string' },
  },
});
const modelDir = path.resolve(values.model ?? shippedModelDir(__dirname));
const variant = values.variant ?? 'fp32';
const threads = Number(values.threads ?? 2);
const repeats = Number(values.repeats ?? 5);
const rounds = Number(values.rounds ?? 5);
const RUNTIMES = ['infill', 'infill-no-lookup', 'transformersjs'] as const;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length / 2;
  return s.length % 2 ? s[Math.floor(m)]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function runWorker(runtime: string): EngineWorkerResult {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(__dirname, 'engineWorker.ts'),
      runtime,
      modelDir,
      variant,
      String(threads),
      String(repeats),
    ],
    // Every runtime's process gets the C library settings the extension starts its engine host with.
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24, env: engineProcessEnv(process.env) },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as EngineWorkerResult;
}

function main(): void {
  const runs: Record<string, EngineWorkerResult[]> = { infill: [], 'infill-no-lookup': [], transformersjs: [] };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...RUNTIMES].reverse() : [...RUNTIMES];
    for (const runtime of order) {
      const result = runWorker(runtime);
      runs[runtime]!.push(result);
      console.log(`round ${r + 1}: ${JSON.stringify(result)}`);
    }
  }
  const [inf, plain, tjs] = RUNTIMES.map((k) => runs[k]!);
  const at = (rs: EngineWorkerResult[], i: number, f: (p: EngineWorkerResult['prompts'][number]) => number) =>
    median(rs.map((x) => f(x.prompts[i]!)));
  const rows = inf![0]!.prompts.map((p, i) => {
    const decode = at(inf!, i, (x) => x.decodeTokensPerSecond),
      plainDecode = at(plain!, i, (x) => x.decodeTokensPerSecond),
      tjsDecode = at(tjs!, i, (x) => x.decodeTokensPerSecond);
    const ttft = at(inf!, i, (x) => x.ttftMs),
      tjsTtft = at(tjs!, i, (x) => x.ttftMs);
    const accepted = inf!.reduce((s, x) => s + (x.prompts[i]!.acceptedDraftTokens ?? 0), 0),
      generated = inf!.reduce((s, x) => s + x.prompts[i]!.generatedTokens, 0);
    return {
      promptTokens: p.promptTokens,
      infillTtftMs: round(ttft),
      transformersJsTtftMs: round(tjsTtft),
      ttftRatio: round(tjsTtft / ttft, 2),
      infillDecodeTokensPerSecond: round(decode),
      infillNoLookupDecodeTokensPerSecond: round(plainDecode),
      transformersJsDecodeTokensPerSecond: round(tjsDecode),
      decodeRatio: round(decode / tjsDecode, 2),
      noLookupDecodeRatio: round(plainDecode / tjsDecode, 2),
      shareOfTokensFromDrafts: round(accepted / generated, 2),
      // Round by round (each round runs all three once): how far the ratio moves on this machine.
      decodeRatioByRound: inf!.map((x, r) =>
        round(x.prompts[i]!.decodeTokensPerSecond / tjs![r]!.prompts[i]!.decodeTokensPerSecond, 2),
      ),
    };
  });
  const warm = median(inf!.map((x) => x.typed.warmMs!)),
    cold = median(inf!.map((x) => x.typed.coldMs)),
    tjsTyped = median(tjs!.map((x) => x.typed.coldMs));
  const typed = {
    contextTokens: inf![0]!.typed.contextTokens,
    reusedTokens: inf![0]!.typed.reusedTokens,
    infillWarmMs: round(warm),
    infillColdMs: round(cold),
    transformersJsMs: round(tjsTyped),
    warmVsColdSpeedup: round(cold / warm, 2),
    warmVsTransformersJsSpeedup: round(tjsTyped / warm, 2),
  };
  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    model: path.basename(modelDir),
    variant,
    threads,
    repeats,
    rounds,
    decodeTokens: inf![0]!.decodeTokens,
    prompts: rows,
    typedCharacter: typed,
    raw: runs,
  };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'engine.json'), JSON.stringify(result, null, 2) + '\n');
  writeTable(result);
}

type Row = { [key: string]: number | number[] } & { decodeRatioByRound: number[] };
const num = (row: Row, key: string) => row[key] as number;

function writeTable(r: {
  date: string;
  machine: string;
  model: string;
  variant: string;
  threads: number;
  rounds: number;
  prompts: Row[];
  typedCharacter: Record<string, number>;
}): void {
  const lines = [
    `Engine benchmark (${r.date.slice(0, 10)}, ${r.machine}, model ${r.model} ${r.variant}, ${r.threads} threads, median of ${r.rounds} rounds, each runtime in its own process). Peer: transformers.js generate() on the same ONNX file in the same run.`,
    '',
    '| prompt tokens | TTFT Infill (ms) | TTFT transformers.js (ms) | decode Infill (tok/s) | decode Infill, no prompt lookup (tok/s) | decode transformers.js (tok/s) | decode ratio | its range over rounds | ratio without lookup | new tokens from verified drafts |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.prompts.map(
      (p) =>
        `| ${num(p, 'promptTokens')} | ${num(p, 'infillTtftMs')} | ${num(p, 'transformersJsTtftMs')} | ${num(p, 'infillDecodeTokensPerSecond')} | ${num(p, 'infillNoLookupDecodeTokensPerSecond')} | ${num(p, 'transformersJsDecodeTokensPerSecond')} | ${num(p, 'decodeRatio')}x | ${Math.min(...p.decodeRatioByRound)}-${Math.max(...p.decodeRatioByRound)}x | ${num(p, 'noLookupDecodeRatio')}x | ${Math.round(num(p, 'shareOfTokensFromDrafts') * 100)}% |`,
    ),
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

main();
