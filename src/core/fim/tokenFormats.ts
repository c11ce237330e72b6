import type { Tokenizer } from '../engine/tokenizer';
import type { FimContext, FimFamily, FimFamilyName } from './format';
import { hasTokens, optionalTokens, requireTokens } from './format';

/** Qwen2.5-Coder's repository format: <|repo_name|>, then <|file_sep|>path\ncontent per file, then the current path. */
function qwenRepoIds(tokenizer: Tokenizer, context: FimContext): number[] | undefined {
  const repo = tokenizer.tokenId('<|repo_name|>'), sep = tokenizer.tokenId('<|file_sep|>');
  if (repo === undefined || sep === undefined) return undefined;
  return [repo, ...tokenizer.encodeContinuation('infill\n'),
    ...context.chunks.flatMap((c) => [sep, ...tokenizer.encodeContinuation(`${c.path}\n${c.text}\n`)]),
    sep, ...tokenizer.encodeContinuation(`${context.path}\n`)];
}

/** StarCoder2's: <file_sep>path\ncontent per file before the FIM prompt. */
function starCoderRepoIds(tokenizer: Tokenizer, context: FimContext): number[] | undefined {
  const sep = tokenizer.tokenId('<file_sep>');
  if (sep === undefined) return undefined;
  return context.chunks.flatMap((c) => [sep, ...tokenizer.encodeContinuation(`${c.path}\n${c.text}\n`)]);
}

interface TokenFormat {
  name: Exclude<FimFamilyName, 'codellama'>;
  prefix: string;
  suffix: string;
  middle: string;
  /** A token only this family has, to tell it apart from others that share the FIM tokens. */
  marker?: string;
  supportsSpm: boolean;
  bos: boolean;
  stops: readonly string[];
  repo?: (tokenizer: Tokenizer, context: FimContext) => number[] | undefined;
}

/** Families whose FIM prompt is three special tokens around plain text. */
function tokenFormat(f: TokenFormat): FimFamily {
  const tokens = [f.prefix, f.suffix, f.middle];
  return {
    name: f.name,
    supportsSpm: f.supportsSpm,
    detect: (tokenizer) => hasTokens(tokenizer, f.marker ? [...tokens, f.marker] : tokens),
    build(tokenizer, prefix, suffix, order) {
      const [pre, suf, mid] = requireTokens(tokenizer, f.name, tokens) as [number, number, number];
      const bos = f.bos && tokenizer.bosTokenId !== undefined ? [tokenizer.bosTokenId] : [];
      const p = tokenizer.encodeLines(prefix, false);
      const s = tokenizer.encodeLines(suffix, false);
      return order === 'spm' && f.supportsSpm
        ? [...bos, pre, suf, ...s, mid, ...p]
        : [...bos, pre, ...p, suf, ...s, mid];
    },
    stopTokenIds: (tokenizer) => optionalTokens(tokenizer, f.stops),
    ...(f.repo ? { contextIds: f.repo } : {}),
  };
}

/** StarCoder and StarCoder2 (bigcode). */
export const starCoder = tokenFormat({
  name: 'starcoder', prefix: '<fim_prefix>', suffix: '<fim_suffix>', middle: '<fim_middle>', supportsSpm: true, bos: false,
  stops: ['<|endoftext|>', '<file_sep>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>'], repo: starCoderRepoIds,
});

/** DeepSeek-Coder (v1 and v1.5). */
export const deepSeek = tokenFormat({
  name: 'deepseek', prefix: '<｜fim▁begin｜>', suffix: '<｜fim▁hole｜>', middle: '<｜fim▁end｜>', supportsSpm: false, bos: true,
  stops: ['<|EOT|>', '<｜end▁of▁sentence｜>', '<｜fim▁begin｜>'],
});

/** CodeGemma: the same three tokens as Qwen, told apart by <|file_separator|>. */
export const codeGemma = tokenFormat({
  name: 'codegemma', prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>', marker: '<|file_separator|>',
  supportsSpm: false, bos: true, stops: ['<|file_separator|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<eos>'],
});

/** Qwen2.5-Coder. */
export const qwenCoder = tokenFormat({
  name: 'qwen', prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>', supportsSpm: false, bos: false,
  stops: ['<|endoftext|>', '<|fim_pad|>', '<|file_sep|>', '<|repo_name|>', '<|fim_prefix|>', '<|im_end|>'], repo: qwenRepoIds,
});
