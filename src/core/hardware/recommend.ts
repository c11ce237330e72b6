import { CATALOG, formatBytes, type CatalogEntry } from '../models/catalog';
import type { DownloadVariant } from '../models/variantFiles';
import { assumedBandwidthGBps, estimateCpuTokensPerSecond, estimateMemory, type MemoryEstimate } from './estimate';
import type { GpuInfo, HardwareProfile } from './types';

export type ModelRole = 'completion' | 'chat';

/** Best first: fast enough and fits; fits but slow; fits only if other programs close; cannot fit; wrong kind. */
export type Verdict = 'good' | 'slow' | 'tight' | 'too-large' | 'unsuitable';
const VERDICT_ORDER: readonly Verdict[] = ['good', 'slow', 'tight', 'too-large', 'unsuitable'];

export interface RecommendOptions {
  role: ModelRole;
  /** Tokens the KV cache holds at the configured context (prompt + answer). */
  contextTokens: number;
  /** Whether the CUDA provider can run here (its libraries are installed): a CUDA GPU is then used. */
  cudaUsable: boolean;
}

export interface Recommendation {
  entry: CatalogEntry;
  variant: DownloadVariant;
  placement: 'cpu' | 'gpu';
  gpu?: GpuInfo;
  memory: MemoryEstimate;
  tokensPerSecond?: number;
  verdict: Verdict;
  /** One line: "fits in 2.3 of 24 GB, about 21 tok/s". */
  reason: string;
}

/** Decode speed below which a role feels broken: ghost text must arrive while the user pauses; chat may stream. */
export const USABLE_TOKENS_PER_SECOND: Record<ModelRole, number> = { completion: 15, chat: 6 };

const gb = (bytes: number) => (bytes / 1e9).toFixed(1);
const parametersOf = (e: CatalogEntry) => Number.parseFloat(e.parameters) || 0;

/** The variants to try on the CPU, best first: the entry's own choice, then smaller, never fp16 (GPU-only speed). */
function cpuVariants(entry: CatalogEntry): DownloadVariant[] {
  const offered = (['q8', 'q4', 'fp32'] as const).filter((v) => entry.sizes[v] !== undefined);
  const first = offered.includes(entry.recommended as (typeof offered)[number]) ? [entry.recommended] : [];
  return [...new Set([...first, ...offered])];
}

function onGpu(entry: CatalogEntry, profile: HardwareProfile, options: RecommendOptions): Recommendation | undefined {
  if (!options.cudaUsable) return undefined;
  const gpu = profile.gpus
    .filter((g) => g.vendor === 'nvidia' && g.source === 'nvidia-smi' && g.memoryFreeBytes !== undefined)
    .sort((a, b) => b.memoryFreeBytes! - a.memoryFreeBytes!)[0];
  if (!gpu) return undefined;
  // fp16, int4 (MatMulNBits) and fp32 have CUDA kernels; int8's DynamicQuantizeMatMul would fall back to the CPU.
  const variant = (['fp16', 'q4', 'fp32'] as const).find((v) => entry.sizes[v] !== undefined);
  if (!variant) return undefined;
  const memory = estimateMemory(entry.sizes[variant]!, variant, entry.shape, options.contextTokens);
  if (memory.totalBytes > gpu.memoryFreeBytes!) return undefined;
  return {
    entry,
    variant,
    placement: 'gpu',
    gpu,
    memory,
    verdict: 'good',
    reason: `fits in the GPU: ${gb(memory.totalBytes)} of ${gb(gpu.memoryFreeBytes!)} GB free on ${gpu.name} (speed not estimated for GPUs)`,
  };
}

function onCpu(entry: CatalogEntry, profile: HardwareProfile, options: RecommendOptions): Recommendation {
  const bandwidth = profile.memoryBandwidthGBps ?? assumedBandwidthGBps(profile.cpu.cores);
  const tries = cpuVariants(entry).map((variant): Recommendation => {
    const memory = estimateMemory(entry.sizes[variant]!, variant, entry.shape, options.contextTokens);
    const tokensPerSecond = estimateCpuTokensPerSecond(bandwidth, memory.weightsBytes, memory.kvBytes, variant);
    const speed = tokensPerSecond === undefined ? 'speed not estimated' : `about ${Math.round(tokensPerSecond)} tok/s`;
    const total = gb(profile.memory.totalBytes);
    let verdict: Verdict, reason: string;
    if (memory.totalBytes > profile.memory.totalBytes) {
      verdict = 'too-large';
      reason = `needs about ${gb(memory.totalBytes)} GB; this machine has ${total} GB`;
    } else if (memory.totalBytes > profile.memory.availableBytes) {
      verdict = 'tight';
      reason = `needs about ${gb(memory.totalBytes)} GB; ${gb(profile.memory.availableBytes)} of ${total} GB are free now, ${speed}`;
    } else {
      verdict = Math.round(tokensPerSecond ?? 0) >= USABLE_TOKENS_PER_SECOND[options.role] ? 'good' : 'slow';
      reason = `fits in ${gb(memory.totalBytes)} of ${total} GB, ${speed}`;
    }
    return { entry, variant, placement: 'cpu', memory, tokensPerSecond, verdict, reason };
  });
  const rank = (r: Recommendation) => VERDICT_ORDER.indexOf(r.verdict);
  return tries.reduce((best, r) => (rank(r) < rank(best) ? r : best));
}

/** Why an entry does not suit the role (or this engine), if it does not. */
function unsuitable(entry: CatalogEntry, role: ModelRole): string | undefined {
  if (entry.runsInEngine === false) return `${entry.family}'s architecture does not run in Infill's engine yet`;
  if (role === 'chat' && !entry.chatTemplate) return 'no chat template: a base model, for completion only';
  return undefined;
}

/** One catalog entry on this machine: where it would run, in which variant, how much memory, how fast, and why. */
export function assessModel(entry: CatalogEntry, profile: HardwareProfile, options: RecommendOptions): Recommendation {
  const r = onGpu(entry, profile, options) ?? onCpu(entry, profile, options);
  const why = unsuitable(entry, options.role);
  return why ? { ...r, verdict: 'unsuitable', reason: `${why}; ${r.reason}` } : r;
}

/**
 * The catalog ranked for this machine and role. Best first: usable ones (fits, fast enough), a verified repository
 * before an unverified one (whose download may not exist), then the largest model (quality grows with size); among
 * slow ones the fastest; for completion a base model before an instruct one of the same size.
 */
export function recommendModels(
  profile: HardwareProfile,
  options: RecommendOptions,
  catalog: readonly CatalogEntry[] = CATALOG,
): Recommendation[] {
  const key = (r: Recommendation) => [
    VERDICT_ORDER.indexOf(r.verdict),
    r.entry.verified ? 0 : 1,
    r.verdict === 'good'
      ? -parametersOf(r.entry)
      : r.verdict === 'slow' || r.verdict === 'tight'
        ? -(r.tokensPerSecond ?? 0)
        : r.memory.totalBytes,
    options.role === 'completion' && r.entry.chatTemplate ? 1 : 0,
    -(r.tokensPerSecond ?? 0),
  ];
  return catalog
    .map((e) => assessModel(e, profile, options))
    .sort((a, b) => {
      const ka = key(a),
        kb = key(b);
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
      return 0;
    });
}

/** The recommendation as a table, one model per line (the CLI and the golden tests). */
export function recommendationTable(recs: readonly Recommendation[]): string[] {
  return recs.map(
    (r, i) =>
      `${String(i + 1).padStart(2)}. ${r.entry.id.padEnd(30)} ${r.variant.padEnd(4)} ${r.placement.padEnd(3)} ${r.verdict.padEnd(10)} ${r.reason}${r.entry.verified ? '' : ' (repository not verified)'}`,
  );
}

/** The line a refused download prints: what the model needs, against what the machine has. */
export function describeNeed(m: MemoryEstimate, contextTokens: number): string {
  const parts = [`weights ${formatBytes(m.weightsBytes)}`];
  if (m.kvBytes) parts.push(`KV cache ${formatBytes(m.kvBytes)} at ${contextTokens} tokens`);
  parts.push(`runtime ${formatBytes(m.runtimeBytes)}`);
  return `about ${formatBytes(m.totalBytes)} (${parts.join(' + ')})`;
}
