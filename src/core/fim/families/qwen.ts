import { defineFimFamily } from '../spec';

/** Qwen2.5-Coder, with its repository format: <|repo_name|>, <|file_sep|>path\ncontent per file, then the current path. */
export const qwenCoder = defineFimFamily({
  name: 'qwen',
  displayName: 'Qwen2.5-Coder',
  tokens: { prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>' },
  bos: false,
  supportsSpm: false,
  stops: ['<|endoftext|>', '<|fim_pad|>', '<|file_sep|>', '<|repo_name|>', '<|fim_prefix|>', '<|im_end|>'],
  repo: { repoName: '<|repo_name|>', fileSep: '<|file_sep|>', currentFile: true },
  textStops: ['<|endoftext|>', '<|fim_pad|>', '<|file_sep|>', '<|im_end|>'],
  modelName: /qwen/,
});
