import { InfillError } from '../errors';
import { findCatalogEntry } from '../models/catalog';
import type { DownloadVariant, PlannedFile } from '../models/variantFiles';
import { estimateMemory, type MemoryEstimate } from './estimate';
import { describeNeed } from './recommend';
import type { HardwareProfile } from './types';

export interface FitOptions {
  /** Tokens the KV cache holds at the configured context. */
  contextTokens: number;
  /** Whether the CUDA provider can run here: the largest CUDA GPU's memory then counts too. */
  cudaUsable: boolean;
}

/** What a variant of a repository needs once loaded, from the files about to be downloaded. */
export function downloadNeed(
  repo: string,
  variant: DownloadVariant,
  files: readonly PlannedFile[],
  contextTokens: number,
): MemoryEstimate {
  const weights = files.filter((f) => f.localPath.startsWith('onnx/')).reduce((s, f) => s + f.size, 0);
  return estimateMemory(weights, variant, findCatalogEntry(repo)?.shape, contextTokens);
}

/**
 * Refuses (InfillError `model-too-large`) a download whose model cannot fit: more than the machine's memory and more
 * than the memory of any GPU Infill can use. What is free now is not the test: other programs can close.
 */
export function assertDownloadFits(
  repo: string,
  variant: DownloadVariant,
  files: readonly PlannedFile[],
  profile: HardwareProfile,
  options: FitOptions,
): void {
  const need = downloadNeed(repo, variant, files, options.contextTokens);
  const gpuBytes = options.cudaUsable
    ? Math.max(0, ...profile.gpus.filter((g) => g.source === 'nvidia-smi').map((g) => g.memoryTotalBytes ?? 0))
    : 0;
  if (need.totalBytes <= profile.memory.totalBytes || need.totalBytes <= gpuBytes) return;
  const gb = (b: number) => `${(b / 1e9).toFixed(1)} GB`;
  const has = `${gb(profile.memory.totalBytes)} of memory${gpuBytes ? ` and a GPU with ${gb(gpuBytes)}` : ' and no GPU Infill can use'}`;
  throw new InfillError(
    'model-too-large',
    `${repo} (${variant}) cannot fit on this machine: it needs ${describeNeed(need, options.contextTokens)}; this machine has ${has}`,
    'Pick a smaller variant (--variant q4) or model (infill models recommend), or pass --force to download it anyway',
  );
}
