import { defineFimFamily } from '../spec';

/** DeepSeek-Coder (v1 and v1.5). */
export const deepSeek = defineFimFamily({
  name: 'deepseek',
  displayName: 'DeepSeek-Coder',
  tokens: { prefix: '<｜fim▁begin｜>', suffix: '<｜fim▁hole｜>', middle: '<｜fim▁end｜>' },
  bos: true,
  supportsSpm: false,
  stops: ['<|EOT|>', '<｜end▁of▁sentence｜>', '<｜fim▁begin｜>'],
  textStops: ['<|EOT|>', '<｜end▁of▁sentence｜>'],
  modelName: /deepseek/,
});
