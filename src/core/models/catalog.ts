import type { FimFamilyName } from '../fim/format';
import type { ModelShape } from '../hardware/estimate';
import type { DownloadVariant } from './variantFiles';

/** A model Infill knows how to download: a Hugging Face repository with an ONNX export in the layout the engine loads. */
export interface CatalogEntry {
  /** Short id for the CLI and settings (`infill models pull qwen2.5-coder-1.5b`). */
  id: string;
  /** Hugging Face repository with the ONNX export. */
  repo: string;
  /** The original model the export was made from. */
  baseModel: string;
  family: string;
  parameters: string;
  /** Fill-in-the-middle format (detected from the tokenizer at load time; listed here for the picker). */
  fim: FimFamilyName;
  /** Whether the tokenizer has a chat template (instruct models, for chat). */
  chatTemplate: boolean;
  /** Approximate download size in bytes of each variant the repository offers (graph + external weights + tokenizer). */
  sizes: Partial<Record<DownloadVariant, number>>;
  /** The variant to take when the user does not say. */
  recommended: DownloadVariant;
  /** What machine it suits. */
  hardware: string;
  /**
   * True when the repository and its file layout were checked against the hub's file listing; false when the name or
   * layout is a best guess (the download then fails with a clear "not found" if it is wrong).
   */
  verified: boolean;
  /** Layers, KV heads, head size and context window (the model's config.json): what the KV cache costs. */
  shape: ModelShape;
  /** False where Infill's engine has not run this architecture yet (the recommendation puts it last). */
  runsInEngine?: false;
  notes?: string;
}

const MB = 1e6;
const GB = 1e9;

export const CATALOG: readonly CatalogEntry[] = [
  {
    id: 'qwen2.5-coder-0.5b-instruct',
    repo: 'onnx-community/Qwen2.5-Coder-0.5B-Instruct',
    baseModel: 'Qwen/Qwen2.5-Coder-0.5B-Instruct',
    family: 'Qwen2.5-Coder',
    parameters: '0.5B',
    fim: 'qwen',
    chatTemplate: true,
    sizes: { q8: 650 * MB, q4: 875 * MB, fp16: 1.27 * GB },
    recommended: 'q8',
    hardware: 'any laptop CPU; about 1.5 GB of memory',
    verified: true,
    shape: { layers: 24, kvHeads: 2, headDim: 64, contextWindow: 32768 },
    notes: 'smallest useful completion model; its q4 file is larger than q8 (the embeddings stay unquantized)',
  },
  {
    id: 'qwen2.5-coder-0.5b',
    repo: 'onnx-community/Qwen2.5-Coder-0.5B',
    baseModel: 'Qwen/Qwen2.5-Coder-0.5B',
    family: 'Qwen2.5-Coder',
    parameters: '0.5B',
    fim: 'qwen',
    chatTemplate: false,
    sizes: { q8: 650 * MB, q4: 875 * MB, fp16: 1.27 * GB },
    recommended: 'q8',
    hardware: 'any laptop CPU; about 1.5 GB of memory',
    verified: false,
    shape: { layers: 24, kvHeads: 2, headDim: 64, contextWindow: 32768 },
    notes:
      'repository name not checked (the 1.5B base export exists under this naming); sizes assumed like the instruct export',
  },
  {
    id: 'qwen2.5-coder-1.5b',
    repo: 'onnx-community/Qwen2.5-Coder-1.5B',
    baseModel: 'Qwen/Qwen2.5-Coder-1.5B',
    family: 'Qwen2.5-Coder',
    parameters: '1.5B',
    fim: 'qwen',
    chatTemplate: false,
    sizes: { q8: 1.59 * GB, q4: 1.8 * GB, fp16: 3.11 * GB, fp32: 6.22 * GB },
    recommended: 'q8',
    hardware: 'a recent 4+ core CPU with 4 GB free, or any GPU',
    verified: true,
    shape: { layers: 28, kvHeads: 2, headDim: 128, contextWindow: 32768 },
    notes: 'base model: best for inline completion',
  },
  {
    id: 'qwen2.5-coder-1.5b-instruct',
    repo: 'onnx-community/Qwen2.5-Coder-1.5B-Instruct',
    baseModel: 'Qwen/Qwen2.5-Coder-1.5B-Instruct',
    family: 'Qwen2.5-Coder',
    parameters: '1.5B',
    fim: 'qwen',
    chatTemplate: true,
    sizes: { q8: 1.81 * GB, q4: 1.93 * GB, fp16: 3.57 * GB, fp32: 7.14 * GB },
    recommended: 'q8',
    hardware: 'a recent 4+ core CPU with 4 GB free, or any GPU',
    verified: true,
    shape: { layers: 28, kvHeads: 2, headDim: 128, contextWindow: 32768 },
    notes: 'instruct model: chat, and completion',
  },
  {
    id: 'qwen2.5-coder-3b-instruct',
    repo: 'onnx-community/Qwen2.5-Coder-3B-Instruct',
    baseModel: 'Qwen/Qwen2.5-Coder-3B-Instruct',
    family: 'Qwen2.5-Coder',
    parameters: '3B',
    fim: 'qwen',
    chatTemplate: true,
    sizes: { q4: 3.2 * GB, q8: 3.42 * GB, fp16: 6.81 * GB },
    recommended: 'q4',
    hardware: 'a GPU with 6 GB, or a fast CPU with 8 GB free',
    verified: true,
    shape: { layers: 36, kvHeads: 2, headDim: 128, contextWindow: 32768 },
  },
  {
    id: 'deepseek-coder-1.3b-base',
    repo: 'Xenova/deepseek-coder-1.3b-base',
    baseModel: 'deepseek-ai/deepseek-coder-1.3b-base',
    family: 'DeepSeek-Coder',
    parameters: '1.3B',
    fim: 'deepseek',
    chatTemplate: false,
    sizes: { q8: 1.36 * GB, fp32: 5.41 * GB },
    recommended: 'q8',
    hardware: 'a recent 4+ core CPU with 4 GB free, or any GPU',
    verified: true,
    shape: { layers: 24, kvHeads: 16, headDim: 128, contextWindow: 16384 },
    notes: 'older transformers.js layout (decoder_model_merged*.onnx)',
  },
  {
    id: 'deepseek-coder-1.3b-instruct',
    repo: 'onnx-community/deepseek-coder-1.3b-instruct-ONNX',
    baseModel: 'deepseek-ai/deepseek-coder-1.3b-instruct',
    family: 'DeepSeek-Coder',
    parameters: '1.3B',
    fim: 'deepseek',
    chatTemplate: true,
    sizes: { q8: 1.35 * GB, q4: 1.07 * GB, fp16: 2.69 * GB, fp32: 5.39 * GB },
    recommended: 'q8',
    hardware: 'a recent 4+ core CPU with 4 GB free, or any GPU',
    verified: true,
    shape: { layers: 24, kvHeads: 16, headDim: 128, contextWindow: 16384 },
  },
  {
    id: 'codellama-7b-instruct',
    repo: 'aless2212/CodeLlama-7b-Instruct-onnx-fp32',
    baseModel: 'codellama/CodeLlama-7b-Instruct-hf',
    family: 'Code Llama',
    parameters: '7B',
    fim: 'codellama',
    chatTemplate: true,
    sizes: { fp32: 27 * GB },
    recommended: 'fp32',
    hardware: 'a workstation: 32 GB of memory, or a GPU with 28 GB',
    verified: true,
    shape: { layers: 32, kvHeads: 32, headDim: 128, contextWindow: 16384 },
    notes:
      'a community fp32 export (ONNX at the top of the repository; placed under onnx/ on download); no quantized variant',
  },
  {
    id: 'codellama-7b',
    repo: 'liodon-ai/CodeLlama-7b-hf-ONNX',
    baseModel: 'codellama/CodeLlama-7b-hf',
    family: 'Code Llama',
    parameters: '7B',
    fim: 'codellama',
    chatTemplate: false,
    sizes: { fp16: 14.6 * GB, fp32: 27 * GB },
    recommended: 'fp16',
    hardware: 'a GPU with 16 GB (fp16), or 32 GB of memory (fp32)',
    verified: false,
    shape: { layers: 32, kvHeads: 32, headDim: 128, contextWindow: 16384 },
    notes: 'a community export; its file layout (external weights) was not checked',
  },
  {
    id: 'starcoderbase-1b',
    repo: 'Xenova/starcoderbase-1b',
    baseModel: 'bigcode/starcoderbase-1b',
    family: 'StarCoder',
    parameters: '1B',
    fim: 'starcoder',
    chatTemplate: false,
    sizes: { q8: 1.38 * GB, fp32: 5.1 * GB },
    recommended: 'q8',
    hardware: 'a recent 4+ core CPU with 4 GB free',
    verified: true,
    shape: { layers: 24, kvHeads: 1, headDim: 128, contextWindow: 8192 },
    runsInEngine: false,
    notes: "gpt_bigcode architecture (multi-query attention): not yet run through Infill's engine",
  },
  {
    id: 'starcoder2-3b',
    repo: 'onnx-community/starcoder2-3b-ONNX',
    baseModel: 'bigcode/starcoder2-3b',
    family: 'StarCoder2',
    parameters: '3B',
    fim: 'starcoder',
    chatTemplate: false,
    sizes: { q4: 2 * GB, q8: 3.1 * GB, fp16: 6.1 * GB },
    recommended: 'q4',
    hardware: 'a GPU with 6 GB, or a fast CPU with 8 GB free',
    verified: false,
    shape: { layers: 30, kvHeads: 2, headDim: 128, contextWindow: 16384 },
    notes:
      'no public ONNX export was found; the name is a guess. Export your own with optimum-cli and choose its folder',
  },
];

/** A catalog entry by id or by repository name (case-insensitive). */
export function findCatalogEntry(idOrRepo: string): CatalogEntry | undefined {
  const key = idOrRepo.toLowerCase();
  return CATALOG.find((e) => e.id === key || e.repo.toLowerCase() === key);
}

/** "1.6 GB", "650 MB". */
export function formatBytes(bytes: number): string {
  if (bytes >= GB) return `${(bytes / GB).toFixed(bytes >= 10 * GB ? 0 : 1)} GB`;
  if (bytes >= MB) return `${Math.round(bytes / MB)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}
