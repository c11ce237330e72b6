import type { FimFamily } from './format';
import { hasTokens, optionalTokens, requireTokens } from './format';

const TOKENS = ['▁<PRE>', '▁<SUF>', '▁<MID>'] as const;

/**
 * Code Llama, built as Meta's `infilling_prompt_tokens` builds it:
 * PSM `<s>▁<PRE>` + encode(prefix) + `▁<SUF>` + encode_infilling(suffix) + `▁<MID>`;
 * SPM `<s>▁<PRE>▁<SUF>` + encode_infilling(suffix) + `▁<MID>` + encode(prefix).
 * encode() carries SentencePiece's dummy leading space; encode_infilling() does not.
 */
export const codeLlama: FimFamily = {
  name: 'codellama',
  supportsSpm: true,
  detect: (tokenizer) => hasTokens(tokenizer, TOKENS),
  build(tokenizer, prefix, suffix, order) {
    const [pre, suf, mid] = requireTokens(tokenizer, 'codellama', TOKENS) as [number, number, number];
    const bos = tokenizer.bosTokenId === undefined ? [] : [tokenizer.bosTokenId];
    const prefixIds = tokenizer.encodeLines(prefix, true);
    const suffixIds = tokenizer.encodeLines(suffix, false);
    return order === 'spm'
      ? [...bos, pre, suf, ...suffixIds, mid, ...prefixIds]
      : [...bos, pre, ...prefixIds, suf, ...suffixIds, mid];
  },
  stopTokenIds: (tokenizer) => optionalTokens(tokenizer, ['▁<EOT>']),
};
