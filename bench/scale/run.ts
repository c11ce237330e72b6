// bench/scale: Infill's engine at a real model size (TinyLlama-1.1B's shape, deterministic random weights) against
// llama.cpp (node-llama-cpp) at equal bits and against transformers.js, side by side in one run, alternating.
//   npm run bench:scale -- [--rounds N] [--threads N] [--lengths 256,1024,2048] [--decode-at 256,2048] [--only int8,int4,fp] [--no-transformersjs]
// The models (about 10 GB) are built once into $INFILL_SCALE_DIR (default ~/.cache/infill-scale), outside the repo.
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { engineProcessEnv } from '../../src/engine-client/processEnv';
import { replaceResultsBlock } from '../table';
import type { WorkerResult } from './worker';

const REPO = path.resolve(__dirname, '..', '..');
const SCALE_DIR = process.env['INFILL_SCALE_DIR'] ?? path.join(os.homedir(), '.cache', 'infill-scale');
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

// TinyLlama-1.1B's shape (bench/scale/build_model.py builds exactly this).
const SHAPE = { vocab: 32016, hidden: 2048, intermediate: 5632, layers: 22, heads: 32, kvHeads: 4, headDim: 64 };
/** Weights every decode step reads: all matrices (the embedding table contributes one row, ignored). */
const MATMUL_PARAMS =
  SHAPE.layers *
    (SHAPE.hidden * (SHAPE.hidden + 2 * SHAPE.kvHeads * SHAPE.headDim) +
      SHAPE.hidden * SHAPE.hidden +
      3 * SHAPE.hidden * SHAPE.intermediate) +
  SHAPE.vocab * SHAPE.hidden;

interface Config {
  label: string;
  group: 'int8' | 'int4' | 'fp';
  /** infill: the engine on onnxruntime's C API with IO binding (the default); infill-session-api: on onnxruntime-node's session API. */
  runtime: 'infill' | 'infill-session-api' | 'llamacpp' | 'transformersjs';
  model: string;
  /** Bytes per weight of the matrices as stored (scales included). */
  bytesPerWeight: number;
  weightFiles: string[];
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16);
}

/** node-llama-cpp lives in bench/scale's own package (see its package.json for why): install it on first use. */
function ensureLlamaCpp(): void {
  if (fs.existsSync(path.join(__dirname, 'node_modules', 'node-llama-cpp'))) return;
  console.log('installing node-llama-cpp into bench/scale/node_modules...');
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: __dirname, stdio: 'inherit' });
}

/** Builds the models once (about 3 minutes on 2 cores), keyed by the build script's hash. */
function ensureModels(): void {
  const script = path.join(__dirname, 'build_model.py');
  const marker = path.join(SCALE_DIR, 'full', 'BUILT');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === sha(script)) return;
  try {
    execFileSync(PYTHON, ['-c', 'import onnx, numpy'], { stdio: 'ignore' });
  } catch {
    throw new Error(`bench/scale needs Python's onnx and numpy: apt-get install python3-onnx python3-numpy (as root)`);
  }
  // llama.cpp's own GGUF writer (gguf-py) comes from the llama.cpp source bundle that node-llama-cpp ships.
  const llamaSrc = path.join(SCALE_DIR, 'llama.cpp');
  if (!fs.existsSync(path.join(llamaSrc, 'gguf-py'))) {
    fs.mkdirSync(SCALE_DIR, { recursive: true });
    execFileSync(
      'git',
      ['clone', '-q', path.join(__dirname, 'node_modules', 'node-llama-cpp', 'llama', 'gitRelease.bundle'), llamaSrc],
      { stdio: 'inherit' },
    );
  }
  console.log(`building the 1.1B-shape models into ${SCALE_DIR}/full (once; about 11 GB)...`);
  const args = [path.join(llamaSrc, 'gguf-py'), path.join(REPO, 'models', 'tiny-codellama')];
  execFileSync(PYTHON, [script, path.join(SCALE_DIR, 'full'), ...args], { stdio: 'inherit' });
  // int4 at Q4_0's bits per weight: the same scheme over blocks of 64 (MatMulNBits' scales are fp32, Q4_0's fp16).
  execFileSync(PYTHON, [script, path.join(SCALE_DIR, 'full-b64'), ...args], {
    stdio: 'inherit',
    env: { ...process.env, Q4_BLOCK: '64', ONLY: 'onnx int4' },
  });
  fs.writeFileSync(marker, `${sha(script)}\n`);
}

function configs(withTransformersJs: boolean): Config[] {
  const onnx = path.join(SCALE_DIR, 'full', 'onnx-model');
  const gguf = (q: string) => path.join(SCALE_DIR, 'full', 'gguf', `model-${q}.gguf`);
  const onnxFiles = (f: string) => [path.join(onnx, 'onnx', f), path.join(onnx, 'onnx', `${f}_data`)];
  const list: Config[] = [
    {
      label: 'Infill int8',
      group: 'int8',
      runtime: 'infill',
      model: `${onnx}#q8`,
      bytesPerWeight: 1,
      weightFiles: onnxFiles('model_quantized.onnx'),
    },
    {
      label: 'Infill int8, session API',
      group: 'int8',
      runtime: 'infill-session-api',
      model: `${onnx}#q8`,
      bytesPerWeight: 1,
      weightFiles: onnxFiles('model_quantized.onnx'),
    },
    {
      label: 'llama.cpp Q8_0',
      group: 'int8',
      runtime: 'llamacpp',
      model: gguf('Q8_0'),
      bytesPerWeight: 34 / 32,
      weightFiles: [gguf('Q8_0')],
    },
    {
      label: 'transformers.js int8',
      group: 'int8',
      runtime: 'transformersjs',
      model: `${onnx}#q8`,
      bytesPerWeight: 1,
      weightFiles: onnxFiles('model_quantized.onnx'),
    },
    {
      label: 'Infill int4',
      group: 'int4',
      runtime: 'infill',
      model: `${onnx}#q4`,
      bytesPerWeight: 20 / 32,
      weightFiles: onnxFiles('model_q4.onnx'),
    },
    {
      label: 'Infill int4, session API',
      group: 'int4',
      runtime: 'infill-session-api',
      model: `${onnx}#q4`,
      bytesPerWeight: 20 / 32,
      weightFiles: onnxFiles('model_q4.onnx'),
    },
    {
      label: 'Infill int4, block 64 (4.5 bits/weight)',
      group: 'int4',
      runtime: 'infill',
      model: `${path.join(SCALE_DIR, 'full-b64', 'onnx-model')}#q4`,
      bytesPerWeight: 18 / 32,
      weightFiles: [
        path.join(SCALE_DIR, 'full-b64', 'onnx-model', 'onnx', 'model_q4.onnx'),
        path.join(SCALE_DIR, 'full-b64', 'onnx-model', 'onnx', 'model_q4.onnx_data'),
      ],
    },
    {
      label: 'llama.cpp Q4_0',
      group: 'int4',
      runtime: 'llamacpp',
      model: gguf('Q4_0'),
      bytesPerWeight: 18 / 32,
      weightFiles: [gguf('Q4_0')],
    },
    {
      label: 'transformers.js int4',
      group: 'int4',
      runtime: 'transformersjs',
      model: `${onnx}#q4`,
      bytesPerWeight: 20 / 32,
      weightFiles: onnxFiles('model_q4.onnx'),
    },
    {
      label: 'Infill fp32',
      group: 'fp',
      runtime: 'infill',
      model: `${onnx}#fp32`,
      bytesPerWeight: 4,
      weightFiles: onnxFiles('model.onnx'),
    },
    {
      label: 'llama.cpp F16',
      group: 'fp',
      runtime: 'llamacpp',
      model: gguf('F16'),
      bytesPerWeight: 2,
      weightFiles: [gguf('F16')],
    },
  ];
  const only = arg('only', '').split(',').filter(Boolean);
  return list.filter(
    (c) => (only.length === 0 || only.includes(c.group)) && (withTransformersJs || c.runtime !== 'transformersjs'),
  );
}

function bandwidth(threads: number): number {
  const bin = path.join(SCALE_DIR, 'bandwidth');
  if (!fs.existsSync(bin))
    execFileSync('cc', ['-O3', '-march=native', '-pthread', path.join(__dirname, 'bandwidth.c'), '-o', bin]);
  return (JSON.parse(execFileSync(bin, [String(threads)], { encoding: 'utf8' })) as { readGBps: number }).readGBps;
}

function measure(
  c: Config,
  threads: number,
  lengths: number[],
  decodeAt: number[],
  decodeTokens: number,
): WorkerResult {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(__dirname, 'worker.ts'),
      c.runtime,
      c.model,
      String(threads),
      lengths.join(','),
      decodeAt.join(','),
      String(decodeTokens),
    ],
    {
      encoding: 'utf8',
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
      // Every runtime's process gets the C library settings the extension starts its engine host with (processEnv.ts).
      env: engineProcessEnv(process.env),
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as WorkerResult;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b),
    m = (s.length - 1) / 2;
  return (s[Math.floor(m)]! + s[Math.ceil(m)]!) / 2;
};
const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

function main(): void {
  const rounds = Number(arg('rounds', '2')),
    threads = Number(arg('threads', '2'));
  const lengths = arg('lengths', '256,1024,2048').split(',').map(Number);
  // Decode after a 256-token prompt (the headline figure), and after a long one: a completion's typical context.
  const decodeAt = arg('decode-at', '256,2048').split(',').map(Number),
    decodeTokens = 64;
  ensureLlamaCpp();
  ensureModels();
  const list = configs(!process.argv.includes('--no-transformersjs'));
  const bwBefore = bandwidth(threads);
  const runs = new Map<string, WorkerResult[]>();
  for (let r = 0; r < rounds; r++) {
    // Alternate: every round runs every configuration once, in the reverse order of the round before.
    for (const c of r % 2 ? [...list].reverse() : list) {
      process.stderr.write(`round ${r + 1}/${rounds}: ${c.label}... `);
      const result = measure(c, threads, lengths, decodeAt, decodeTokens);
      process.stderr.write(
        `prefill ${lengths.map((n) => fmt(result.prefillMs[n]!)).join('/')} ms, decode ${decodeAt.map((n) => fmt(result.decodeAt[n]!, 2)).join('/')} tok/s, peak ${fmt(result.peakRssMb)} MB\n`,
      );
      runs.set(c.label, [...(runs.get(c.label) ?? []), result]);
    }
  }
  const bw = Math.max(bwBefore, bandwidth(threads));
  const kvBytes = (n: number) => SHAPE.layers * 2 * SHAPE.kvHeads * SHAPE.headDim * 4 * n;
  const rows = list.map((c) => {
    const rs = runs.get(c.label)!;
    const decode = median(rs.map((x) => x.decodeTokensPerSecond));
    const bytesPerToken = MATMUL_PARAMS * c.bytesPerWeight;
    const weightBytes = c.weightFiles.reduce((s, f) => s + fs.statSync(f).size, 0);
    return {
      label: c.label,
      group: c.group,
      runtime: c.runtime,
      model:
        path.relative(SCALE_DIR, c.model.split('#')[0]!) + (c.model.includes('#') ? `#${c.model.split('#')[1]}` : ''),
      prefillMs: Object.fromEntries(lengths.map((n) => [n, median(rs.map((x) => x.prefillMs[n]!))])),
      decodeTokensPerSecond: decode,
      decodeAt: Object.fromEntries(decodeAt.map((n) => [n, median(rs.map((x) => x.decodeAt[n]!))])),
      impliedGBps: (decode * bytesPerToken) / 1e9,
      bandwidthShare: (decode * bytesPerToken) / 1e9 / bw,
      boundTokensPerSecond: (bw * 1e9) / bytesPerToken,
      peakRssMb: median(rs.map((x) => x.peakRssMb)),
      weightMb: weightBytes / 1e6 / 1.048576,
      baselineRssMb: median(rs.map((x) => x.baselineRssMb)),
      /** The model's share of memory (process peak minus RSS once the runtime's code was loaded) over its weights plus a full KV cache. */
      peakOverWeightsPlusKv:
        median(rs.map((x) => x.peakRssMb - x.baselineRssMb)) /
        ((weightBytes + kvBytes(Math.max(...lengths, ...decodeAt) + decodeTokens)) / 1048576),
      loadMs: median(rs.map((x) => x.loadMs)),
      idleCpuMsPerS: median(rs.map((x) => x.idleCpuMsPerS)),
      kvLayout: rs[0]!.kvLayout,
    };
  });
  type Row = (typeof rows)[number];
  const byLabel = (label: string) => rows.find((r) => r.label === label);
  /** Infill against a peer: time ratios are peer / Infill, speed ratios Infill / peer (above 1: Infill is faster). */
  const compare = (what: string, infill: string, peer: string) => {
    const a = byLabel(infill),
      b = byLabel(peer);
    if (!a || !b) return undefined;
    const speed = (f: (r: Row) => number) => f(a) / f(b);
    return {
      what,
      infill,
      peer,
      decode: speed((r) => r.decodeTokensPerSecond),
      decodeAt: Object.fromEntries(decodeAt.map((n) => [n, speed((r) => r.decodeAt[n]!)])),
      prefill: Object.fromEntries(lengths.map((n) => [n, b.prefillMs[n]! / a.prefillMs[n]!])),
    };
  };
  const comparisons = [
    compare('llama.cpp, int8', 'Infill int8', 'llama.cpp Q8_0'),
    compare('llama.cpp, int4 (same blocks as Q4_0)', 'Infill int4', 'llama.cpp Q4_0'),
    compare('llama.cpp, int4 (same bits as Q4_0)', 'Infill int4, block 64 (4.5 bits/weight)', 'llama.cpp Q4_0'),
    compare('llama.cpp, fp32 vs F16', 'Infill fp32', 'llama.cpp F16'),
    compare('its session API, int8 (IO binding vs copies after each run)', 'Infill int8', 'Infill int8, session API'),
    compare('its session API, int4 (IO binding vs copies after each run)', 'Infill int4', 'Infill int4, session API'),
    compare('transformers.js, int8', 'Infill int8', 'transformers.js int8'),
    compare('transformers.js, int4', 'Infill int4', 'transformers.js int4'),
  ].filter((c) => c !== undefined);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const date = new Date().toISOString().slice(0, 10);
  const raw = Object.fromEntries(
    [...runs].map(([label, rs]) => [
      label,
      rs.map((x) => ({
        prefillMs: x.prefillMs,
        decodeTokensPerSecond: x.decodeTokensPerSecond,
        decodeAt: x.decodeAt,
        peakRssMb: x.peakRssMb,
      })),
    ]),
  );
  const results = {
    date,
    machine: `${cpu} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    threads,
    rounds,
    shape: SHAPE,
    matmulParams: MATMUL_PARAMS,
    readBandwidthGBps: bw,
    decodeAtTokens: decodeAt,
    decodeTokens,
    rows,
    comparisons,
    raw,
  };
  fs.mkdirSync(path.join(REPO, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(REPO, 'bench', 'results', 'scale.json'), `${JSON.stringify(results, null, 2)}\n`);

  const x = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(2)}x`);
  const lines = [
    `Scale benchmark (${date}, ${results.machine}, ${threads} threads, medians of ${rounds} alternating rounds): a Llama of TinyLlama-1.1B's shape` +
      ` (${(MATMUL_PARAMS / 1e9).toFixed(2)} B parameters in matrices), deterministic random weights, the same numbers in ONNX and GGUF.` +
      ` Read bandwidth ${bw.toFixed(1)} GB/s (${threads} threads). Decode: ${decodeTokens} tokens after a ${decodeAt.join(' or ')}-token prompt;` +
      ` implied GB/s and the share of bandwidth are those of decode after ${decodeAt[0]} tokens. Every process starts with the malloc settings of the extension's engine host.`,
    '',
    `| runtime | ${lengths.map((n) => `prefill ${n} (ms)`).join(' | ')} | ${decodeAt.map((n) => `decode @${n} (tok/s)`).join(' | ')} | implied GB/s | share of bandwidth | weights (MB) | peak RSS (MB) | (peak − runtime code) / (weights + KV) | idle CPU (ms/s) |`,
    `|---|${lengths.map(() => '---:').join('|')}|${decodeAt.map(() => '---:').join('|')}|---:|---:|---:|---:|---:|---:|`,
    ...rows.map(
      (r) =>
        `| ${r.label} | ${lengths.map((n) => fmt(r.prefillMs[n]!)).join(' | ')} | ${decodeAt.map((n) => r.decodeAt[n]!.toFixed(2)).join(' | ')} | ${r.impliedGBps.toFixed(1)} | ${(100 * r.bandwidthShare).toFixed(0)}% | ${fmt(r.weightMb)} | ${fmt(r.peakRssMb)} | ${r.peakOverWeightsPlusKv.toFixed(2)} | ${r.idleCpuMsPerS.toFixed(1)} |`,
    ),
    '',
    `| Infill vs | ${lengths.map((n) => `prefill ${n}`).join(' | ')} | ${decodeAt.map((n) => `decode @${n}`).join(' | ')} |`,
    `|---|${lengths.map(() => '---:').join('|')}|${decodeAt.map(() => '---:').join('|')}|`,
    ...comparisons.map(
      (c) =>
        `| ${c.what} | ${lengths.map((n) => x(c.prefill[n])).join(' | ')} | ${decodeAt.map((n) => x(c.decodeAt[n])).join(' | ')} |`,
    ),
  ];
  console.log(`\n${lines.join('\n')}\n`);
  if (!process.argv.includes('--no-readme')) replaceResultsBlock('scale-results', lines);
}

main();
