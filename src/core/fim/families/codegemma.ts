import { defineFimFamily } from '../spec';

/** CodeGemma: the same three tokens as Qwen2.5-Coder, told apart by <|file_separator|>. */
export const codeGemma = defineFimFamily({
  name: 'codegemma',
  displayName: 'CodeGemma',
  tokens: { prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>' },
  marker: '<|file_separator|>',
  bos: true,
  supportsSpm: false,
  stops: ['<|file_separator|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<eos>'],
  textStops: ['<|file_separator|>', '<eos>'],
  modelName: /codegemma/,
});
