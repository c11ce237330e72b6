// One runtime, one model file, measured in a process of its own (so its peak memory is its own):
//   node --import tsx bench/scale/worker.ts RUNTIME MODEL THREADS LENGTHS DECODE_AT DECODE_TOKENS [SPIN]
// DECODE_AT: prompt lengths to decode after, comma-separated ("256,2048"); the first is the headline decode figure.
// RUNTIME: infill | llamacpp | transformersjs. MODEL: a Hugging Face ONNX folder + variant ("DIR#q4"), or a .gguf file.
// Prints one JSON line: load time, prefill ms per length, decode tok/s, peak RSS.
import * as fs from 'node:fs';
import { localModelFolder } from '../../src/core/engine/localModelFolder';

export interface WorkerResult {
  runtime: string;
  model: string;
  loadMs: number;
  prefillMs: Record<number, number>;
  /** Decode tok/s after a prompt of the first DECODE_AT length. */
  decodeTokensPerSecond: number;
  /** Decode tok/s by prompt length (every DECODE_AT length). */
  decodeAt: Record<number, number>;
  peakRssMb: number;
  /** RSS once the runtime's code was imported, before the model was loaded: the model's share is peak minus this. */
  baselineRssMb: number;
  /** CPU time the process burns per second while idle, from 0.5 s to 2.5 s after its last run (spinning threads). */
  idleCpuMsPerS: number;
  kvLayout?: string;
}

/** Deterministic token ids in the ordinary-vocabulary range (no special tokens). */
export function promptTokens(n: number, salt: number): number[] {
  return Array.from({ length: n }, (_, i) => 100 + ((i * 7919 + salt * 104729) % 30000));
}

function procStatusMb(field: 'VmHWM' | 'VmRSS'): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
}

let baselineRssMb = 0;
const markBaseline = () => {
  baselineRssMb = procStatusMb('VmRSS');
};

interface Runner {
  /** Fresh sequence: prefill `ids`, returning ms until the first new token is known. */
  prefill(ids: number[]): Promise<number>;
  /** Fresh sequence: prefill `ids`, then `n` decode steps; tokens per second over the decode steps. */
  decode(ids: number[], n: number): Promise<number>;
  kvLayout?: string;
}

async function infill(model: string, threads: number, spin: boolean, ioBinding: boolean): Promise<Runner> {
  const { Engine } = await import('../../src/core/engine');
  markBaseline();
  const [dir, variant] = model.split('#') as [string, 'q4' | 'q8' | 'fp32'];
  const engine = await Engine.load({
    modelDir: dir,
    variant,
    provider: 'cpu',
    threads,
    spinWhileBusy: spin,
    ioBinding,
  });
  if (engine.info.runtime !== (ioBinding ? 'io-binding' : 'session-api'))
    throw new Error(
      `asked for ${ioBinding ? 'IO binding' : 'the session API'}, got ${engine.info.runtime}: ${engine.info.providerNote}`,
    );
  return {
    kvLayout: engine.info.kvLayout,
    async prefill(ids) {
      engine.clearCache();
      const r = await engine.generate({ promptIds: ids, maxNewTokens: 1 });
      return r.timeToFirstTokenMs;
    },
    async decode(ids, n) {
      engine.clearCache();
      // Prompt lookup off: llama.cpp decodes one token per step here, so Infill does too.
      const r = await engine.generate({
        promptIds: ids,
        maxNewTokens: n + 1,
        minNewTokens: n + 1,
        lookup: { maxDraft: 0 },
      });
      return r.tokensPerSecond;
    },
  };
}

/** The parts of node-llama-cpp's API used here (it is installed into bench/scale on demand, so not typed at build time). */
interface LlamaCppSequence {
  clearHistory(): Promise<void>;
  evaluateWithoutGeneratingNewTokens(tokens: number[]): Promise<void>;
  evaluate(tokens: number[], options: { temperature: number }): AsyncIterable<number>;
}
interface LlamaCppApi {
  getLlama(options: { gpu: false; build: 'never'; logLevel: string; maxThreads: number }): Promise<{
    loadModel(options: { modelPath: string; gpuLayers: number }): Promise<{
      createContext(options: {
        contextSize: number;
        threads: number;
        batchSize: number;
        sequences: number;
      }): Promise<{ getSequence(): LlamaCppSequence }>;
    }>;
  }>;
}
const LLAMA_CPP_MODULE = 'node-llama-cpp';

async function llamacpp(model: string, threads: number, contextSize: number): Promise<Runner> {
  const api = (await import(LLAMA_CPP_MODULE)) as LlamaCppApi;
  const llama = await api.getLlama({ gpu: false, build: 'never', logLevel: 'error', maxThreads: threads });
  markBaseline();
  const m = await llama.loadModel({ modelPath: model, gpuLayers: 0 });
  const context = await m.createContext({ contextSize, threads, batchSize: 512, sequences: 1 });
  const seq = context.getSequence();
  return {
    async prefill(ids) {
      await seq.clearHistory();
      const t = performance.now();
      await seq.evaluateWithoutGeneratingNewTokens(ids);
      return performance.now() - t;
    },
    async decode(ids, n) {
      await seq.clearHistory();
      await seq.evaluateWithoutGeneratingNewTokens(ids.slice(0, -1));
      const t = performance.now();
      let count = 0;
      // The first step evaluates the prompt's last token; each further step one generated token: n steps in all.
      for await (const token of seq.evaluate(ids.slice(-1), { temperature: 0 })) {
        void token;
        if (++count >= n) break;
      }
      return (count * 1000) / (performance.now() - t);
    },
  };
}

async function transformersjs(model: string, threads: number): Promise<Runner> {
  const tf = await import('@huggingface/transformers');
  markBaseline();
  const [dir, variant] = model.split('#') as [string, 'q4' | 'q8' | 'fp32'];
  tf.env.allowRemoteModels = false;
  const lm = await tf.AutoModelForCausalLM.from_pretrained(localModelFolder(dir), {
    dtype: variant,
    local_files_only: true,
    session_options: { intraOpNumThreads: threads, interOpNumThreads: 1, executionProviders: ['cpu'] },
  });
  const run = async (ids: number[], n: number) => {
    const input = new tf.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
    const mask = new tf.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]);
    let first = 0;
    const t = performance.now();
    const streamer = new (class extends tf.BaseStreamer {
      count = 0;
      override put(): void {
        if (++this.count === 2) first = performance.now();
      } // put #1 is the prompt, #2 the first new token
      override end(): void {
        /* nothing */
      }
    })();
    await lm.generate({
      input_ids: input,
      attention_mask: mask,
      max_new_tokens: n,
      min_new_tokens: n,
      do_sample: false,
      streamer,
    } as never);
    const end = performance.now();
    return { ttft: first - t, tps: n > 1 ? ((n - 1) * 1000) / (end - first) : 0 };
  };
  return {
    async prefill(ids) {
      return (await run(ids, 1)).ttft;
    },
    async decode(ids, n) {
      return (await run(ids, n + 1)).tps;
    },
  };
}

async function main(): Promise<void> {
  const [
    runtime = '',
    model = '',
    threadsArg = '2',
    lengthsArg = '256',
    decodeAtArg = '256',
    decodeTokensArg = '64',
    spinArg = '0',
  ] = process.argv.slice(2);
  const threads = Number(threadsArg),
    lengths = lengthsArg.split(',').map(Number),
    decodeAtList = decodeAtArg.split(',').map(Number),
    decodeTokens = Number(decodeTokensArg);
  const t = performance.now();
  const runner =
    runtime === 'infill' || runtime === 'infill-session-api'
      ? await infill(model, threads, spinArg === '1', runtime === 'infill')
      : runtime === 'llamacpp'
        ? await llamacpp(model, threads, Math.max(...lengths, ...decodeAtList) + decodeTokens + 16)
        : runtime === 'transformersjs'
          ? await transformersjs(model, threads)
          : undefined;
  if (!runner) throw new Error(`unknown runtime ${runtime}`);
  const loadMs = performance.now() - t;
  // One unmeasured warm-up pass (thread pools, first-run allocations), as every runtime gets.
  await runner.prefill(promptTokens(16, 99));
  const prefillMs: Record<number, number> = {};
  for (const n of lengths) prefillMs[n] = await runner.prefill(promptTokens(n, n));
  const decodeAt: Record<number, number> = {};
  for (const n of decodeAtList) decodeAt[n] = await runner.decode(promptTokens(n, 7), decodeTokens);
  const decodeTokensPerSecond = decodeAt[decodeAtList[0]!]!;
  await new Promise((r) => setTimeout(r, 500));
  const cpu = process.cpuUsage();
  await new Promise((r) => setTimeout(r, 2000));
  const idle = process.cpuUsage(cpu);
  const idleCpuMsPerS = (idle.user + idle.system) / 1000 / 2;
  const result: WorkerResult = {
    runtime,
    model,
    loadMs,
    prefillMs,
    decodeTokensPerSecond,
    decodeAt,
    peakRssMb: procStatusMb('VmHWM'),
    baselineRssMb,
    idleCpuMsPerS,
    kvLayout: runner.kvLayout,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0); // native thread pools may keep the process alive
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
