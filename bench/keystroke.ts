// Keystroke benchmark: replays typing a real file from start to end, asking for an inline completion after every
// character through the same pipeline the editor uses, and measures the latency of each answer.
//   warm: one engine whose KV cache is reused between requests, plus the completion cache (typed-ahead reuse);
//   cold: the KV cache cleared before every request and no completion cache (what an engine without reuse does).
// Writes bench/results/keystroke.json and its table in bench/README.md.
// Usage: npm run bench:keystroke [-- --file F] [--start N] [--only warm]   (--start: the first N characters are already there, as
// when editing further down a long file; typing replays the rest)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { CompletionCache } from '../src/core/completion/cache';
import { engineBackend } from '../src/core/backend/engineBackend';
import { completeAt } from '../src/core/completion/pipeline';
import { Engine } from '../src/core/engine';
import { shippedModelDir } from '../src/core/shippedModel';
import { replaceResultsBlock } from './table';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    model: { type: 'string' },
    threads: { type: 'string' },
    'max-tokens': { type: 'string' },
    start: { type: 'string' },
    label: { type: 'string' },
    /** `warm`: only the warm replay (a quick comparison of two commits; no cold column). */
    only: { type: 'string' },
  },
});
const file = path.resolve(values.file ?? path.join(__dirname, '..', 'examples', 'stats.py'));
const modelDir = path.resolve(values.model ?? shippedModelDir(__dirname));
const threads = Number(values.threads ?? 2);
const maxNewTokens = Number(values['max-tokens'] ?? 24);
const start = Number(values.start ?? 0);
/** Names a second result set (results/keystroke-LABEL.json, its own README block). */
const suffix = values.label ? `-${values.label}` : '';

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const round = (x: number) => Math.round(x * 10) / 10;

async function replay(engine: Engine, text: string, warm: boolean) {
  const cache = warm ? new CompletionCache() : undefined;
  const latencies: number[] = [];
  let cacheHits = 0,
    reused = 0,
    prompt = 0;
  for (let offset = Math.max(1, start + 1); offset <= text.length; offset++) {
    // The document as it is while typing: everything typed so far, nothing after it.
    const typed = text.slice(0, offset);
    if (!warm) engine.clearCache();
    const t = performance.now();
    const r = await completeAt(
      engineBackend(engine),
      { document: file, text: typed, offset, insertSpaces: true, tabSize: 4 },
      { maxNewTokens, fimOrder: 'auto', fimFamily: 'auto', kind: 'inline' },
      undefined,
      cache,
    );
    latencies.push(performance.now() - t);
    if (!r.report) cacheHits++;
    else {
      reused += r.report.reusedTokens ?? 0;
      prompt += r.report.promptTokens ?? 0;
    }
  }
  return {
    keystrokes: latencies.length,
    p50Ms: round(pct(latencies, 0.5)),
    p95Ms: round(pct(latencies, 0.95)),
    meanMs: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
    cacheHits,
    promptTokensReusedPercent: prompt ? round((100 * reused) / prompt) : 0,
  };
}

async function main(): Promise<void> {
  const text = fs.readFileSync(file, 'utf8');
  const engine = await Engine.load({ modelDir, provider: 'cpu', threads });
  try {
    const warm = await replay(engine, text, true);
    console.log('warm', JSON.stringify(warm));
    if (values.only === 'warm') return;
    const cold = await replay(engine, text, false);
    console.log('cold', JSON.stringify(cold));
    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}`,
      node: process.version,
      model: path.basename(modelDir),
      variant: engine.info.variant,
      threads,
      file: path.relative(path.join(__dirname, '..'), file),
      startOffset: start,
      maxNewTokens,
      warm,
      cold,
      p50Speedup: round(cold.p50Ms / warm.p50Ms),
      p95Speedup: round(cold.p95Ms / warm.p95Ms),
    };
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(
      path.join(__dirname, 'results', `keystroke${suffix}.json`),
      JSON.stringify(result, null, 2) + '\n',
    );
    const lines = [
      `Keystroke replay (${result.date.slice(0, 10)}, ${result.machine}, model ${result.model} ${result.variant}, ${threads} threads): typing ${result.file}${start ? ` from character ${start} (the ${start} before it already there)` : ''} (${warm.keystrokes} characters), a completion of up to ${maxNewTokens} tokens after each.`,
      '',
      '| mode | p50 (ms) | p95 (ms) | mean (ms) | answered from the completion cache | prompt tokens reused from the KV cache |',
      '|---|---:|---:|---:|---:|---:|',
      `| warm (KV reuse + cache) | ${warm.p50Ms} | ${warm.p95Ms} | ${warm.meanMs} | ${warm.cacheHits} | ${warm.promptTokensReusedPercent}% |`,
      `| cold (no reuse) | ${cold.p50Ms} | ${cold.p95Ms} | ${cold.meanMs} | ${cold.cacheHits} | ${cold.promptTokensReusedPercent}% |`,
      '',
      `Warm is ${result.p50Speedup}x faster at p50 and ${result.p95Speedup}x at p95.`,
    ];
    replaceResultsBlock(`keystroke-results${suffix}`, lines);
    console.log(lines.join('\n'));
  } finally {
    await engine.dispose();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
