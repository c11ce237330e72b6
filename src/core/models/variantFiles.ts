/**
 * Which files of a Hugging Face ONNX repository make one variant of a model: the config and tokenizer files, the ONNX
 * graph of the variant, and its external weights. Engine-free (the extension uses it to plan downloads), so the
 * variant file names are listed here again, in the order the engine's model folder loader looks for them
 * (src/core/engine/modelFolder.ts; a test checks the two agree).
 */
export type DownloadVariant = 'fp32' | 'fp16' | 'q8' | 'q4';
export const DOWNLOAD_VARIANTS: readonly DownloadVariant[] = ['q8', 'q4', 'fp16', 'fp32'];

export const VARIANT_ONNX_FILES: Record<DownloadVariant, readonly string[]> = {
  fp32: ['model.onnx', 'decoder_model_merged.onnx'],
  fp16: ['model_fp16.onnx', 'decoder_model_merged_fp16.onnx'],
  q8: ['model_quantized.onnx', 'model_int8.onnx', 'model_uint8.onnx', 'decoder_model_merged_quantized.onnx'],
  q4: ['model_q4.onnx', 'model_q4f16.onnx', 'model_bnb4.onnx', 'decoder_model_merged_q4.onnx'],
};

/** Files beside the graph that loading needs or uses (config, generation settings, tokenizer, chat template). */
export const SUPPORT_FILES: readonly string[] = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'added_tokens.json',
  'chat_template.jinja',
  'chat_template.json',
];
export const REQUIRED_SUPPORT_FILES: readonly string[] = ['config.json', 'tokenizer.json'];

export interface RepoFile {
  /** Path in the repository, `/`-separated. */
  path: string;
  size: number;
  /** sha256 of the content, from the hub's LFS metadata (large files). */
  sha256?: string;
  /** Git blob id (sha1 of "blob <size>\0" + content), for files stored in git itself. */
  gitOid?: string;
}

export interface PlannedFile extends RepoFile {
  /** Where it goes in the model folder (ONNX files always under onnx/, as the loader expects). */
  localPath: string;
}

/** External weights that belong to a graph: `model.onnx_data`, `model.onnx_data_1`, `model.onnx.data`... */
function isDataOf(graph: string, candidate: string): boolean {
  return candidate.startsWith(`${graph}_data`) || candidate.startsWith(`${graph}.data`);
}

const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const baseOf = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** The graph file a repository has for a variant: under onnx/ first (transformers.js layout), else at the top (Optimum's). */
export function findVariantGraph(files: readonly RepoFile[], variant: DownloadVariant): RepoFile | undefined {
  for (const dir of ['onnx', '']) {
    for (const name of VARIANT_ONNX_FILES[variant]) {
      const found = files.find((f) => f.path === (dir ? `${dir}/${name}` : name));
      if (found) return found;
    }
  }
  return undefined;
}

/** The variants a repository offers, in DOWNLOAD_VARIANTS order. */
export function availableVariants(files: readonly RepoFile[]): DownloadVariant[] {
  return DOWNLOAD_VARIANTS.filter((v) => findVariantGraph(files, v) !== undefined);
}

/** The files to download for one variant, or undefined when the repository has no graph for it. */
export function planVariantFiles(files: readonly RepoFile[], variant: DownloadVariant): PlannedFile[] | undefined {
  const graph = findVariantGraph(files, variant);
  if (!graph) return undefined;
  const graphDir = dirOf(graph.path);
  const graphName = baseOf(graph.path);
  const onnx = files.filter(
    (f) => f.path === graph.path || (dirOf(f.path) === graphDir && isDataOf(graphName, baseOf(f.path))),
  );
  const support = files.filter((f) => SUPPORT_FILES.includes(f.path));
  return [
    ...support.map((f) => ({ ...f, localPath: f.path })),
    ...onnx.map((f) => ({ ...f, localPath: `onnx/${baseOf(f.path)}` })),
  ];
}
