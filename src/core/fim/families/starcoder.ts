import { defineFimFamily } from '../spec';

/** StarCoder and StarCoder2 (bigcode); StarCoder2's repository format is <file_sep>path\ncontent per file. */
export const starCoder = defineFimFamily({
  name: 'starcoder',
  displayName: 'StarCoder',
  tokens: { prefix: '<fim_prefix>', suffix: '<fim_suffix>', middle: '<fim_middle>' },
  bos: false,
  supportsSpm: true,
  stops: ['<|endoftext|>', '<file_sep>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>'],
  repo: { fileSep: '<file_sep>', currentFile: false },
  textStops: ['<|endoftext|>', '<file_sep>'],
  modelName: /starcoder/,
});
