import { defineFimFamily } from '../spec';

/**
 * Code Llama, built as Meta's `infilling_prompt_tokens` builds it:
 * PSM `<s>▁<PRE>` + encode(prefix) + `▁<SUF>` + encode_infilling(suffix) + `▁<MID>`;
 * SPM `<s>▁<PRE>▁<SUF>` + encode_infilling(suffix) + `▁<MID>` + encode(prefix).
 * encode() carries SentencePiece's dummy leading space; encode_infilling() does not.
 */
export const codeLlama = defineFimFamily({
  name: 'codellama',
  displayName: 'Code Llama',
  tokens: { prefix: '▁<PRE>', suffix: '▁<SUF>', middle: '▁<MID>' },
  bos: true,
  prefixLeadingSpace: true,
  supportsSpm: true,
  stops: ['▁<EOT>'],
  // Meta's text form of the same prompt: the spaces belong to the special tokens (▁<PRE>, ▁<SUF>, ▁<MID>).
  textTokens: { prefix: '<PRE> ', suffix: ' <SUF>', middle: ' <MID>' },
  textStops: ['<EOT>'],
  modelName: /code-?llama/,
});
