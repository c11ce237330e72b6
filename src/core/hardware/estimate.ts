import type { DownloadVariant } from '../models/variantFiles';

/**
 * What Infill's engine measured at a real model size (bench/scale, a 1.1B Llama on 2 cores, results in
 * bench/results/scale.json; test/unit/hardwareEstimate.test.ts checks these against that file):
 * - `bandwidthShare`: decode tokens/s x bytes read per token, over the machine's read bandwidth (IO binding, 256 tokens);
 * - `peakOverWeightsPlusKv`: peak resident memory above the runtime's own, over weights + KV cache;
 * - `runtimeBytes`: the resident memory of the process before the model loads.
 * fp16 was not measured on CPU (onnxruntime's CPU kernels are for fp32 and integer weights): no speed estimate.
 */
export const MEASURED: Record<
  DownloadVariant,
  { bandwidthShare?: number; peakOverWeightsPlusKv: number; benchRow?: string }
> = {
  q8: { bandwidthShare: 0.533, peakOverWeightsPlusKv: 0.942, benchRow: 'Infill int8' },
  q4: { bandwidthShare: 0.482, peakOverWeightsPlusKv: 1.254, benchRow: 'Infill int4' },
  fp32: { bandwidthShare: 0.786, peakOverWeightsPlusKv: 0.91, benchRow: 'Infill fp32' },
  fp16: { peakOverWeightsPlusKv: 1.0 },
};
export const RUNTIME_BYTES = 250e6;

/** The shape that sets a model's KV cache: per token, 2 (K and V) x layers x KV heads x head size values. */
export interface ModelShape {
  layers: number;
  kvHeads: number;
  headDim: number;
  /** The longest context the model was trained for. */
  contextWindow: number;
}

/** KV cache bytes at `tokens` positions. The exports keep it in fp32, fp16 ones in fp16. */
export function kvCacheBytes(shape: ModelShape, tokens: number, variant: DownloadVariant): number {
  const bytesPerValue = variant === 'fp16' ? 2 : 4;
  return 2 * shape.layers * shape.kvHeads * shape.headDim * Math.min(tokens, shape.contextWindow) * bytesPerValue;
}

export interface MemoryEstimate {
  weightsBytes: number;
  kvBytes: number;
  runtimeBytes: number;
  totalBytes: number;
}

/** Peak memory of the engine with a model: runtime + (weights + KV) x the measured overhead of the variant. */
export function estimateMemory(
  weightsBytes: number,
  variant: DownloadVariant,
  shape: ModelShape | undefined,
  contextTokens: number,
): MemoryEstimate {
  const kvBytes = shape ? kvCacheBytes(shape, contextTokens, variant) : 0;
  const ratio = Math.max(1, MEASURED[variant].peakOverWeightsPlusKv);
  return {
    weightsBytes,
    kvBytes,
    runtimeBytes: RUNTIME_BYTES,
    totalBytes: RUNTIME_BYTES + ratio * (weightsBytes + kvBytes),
  };
}

/**
 * Expected decode speed on the CPU: every token reads the weights and the KV cache once, at the share of read
 * bandwidth the engine reached in bench/scale. Undefined where that share was not measured (fp16).
 */
export function estimateCpuTokensPerSecond(
  bandwidthGBps: number,
  weightsBytes: number,
  kvBytes: number,
  variant: DownloadVariant,
): number | undefined {
  const share = MEASURED[variant].bandwidthShare;
  if (share === undefined || weightsBytes <= 0) return undefined;
  return (share * bandwidthGBps * 1e9) / (weightsBytes + kvBytes);
}

/**
 * Read bandwidth when it was not measured: about 10 GB/s per core up to the 2-channel ceiling of a laptop or desktop
 * (about 50 GB/s; bench/scale measured 51 GB/s on 2 server cores).
 */
export const assumedBandwidthGBps = (cores: number) => Math.min(50, 10 * Math.max(1, cores));
