import type { Tokenizer } from '../engine/tokenizer';
import type { FimFamilyName } from './registry';

export type { FimFamilyName } from './registry';

/** Prefix-suffix-middle or suffix-prefix-middle ordering. */
export type FimOrder = 'psm' | 'spm';

/** A family's token-id prompt builder, made from its declaration by tokenPrompt.ts. */
export interface FimFamily {
  readonly name: FimFamilyName;
  /** True when the tokenizer has this family's FIM tokens. */
  detect(tokenizer: Tokenizer): boolean;
  /** Whether the family was trained on suffix-first prompts. */
  readonly supportsSpm: boolean;
  /** Prompt token ids; the model generates the middle after them. */
  build(tokenizer: Tokenizer, prefix: string, suffix: string, order: FimOrder): number[];
  /** Tokens that end the middle (besides the model's eos ids). */
  stopTokenIds(tokenizer: Tokenizer): number[];
  /**
   * The family's own multi-file format, when it has one: ids that go before the FIM prompt. Families without one get
   * the other files as comments at the top of the prefix.
   */
  contextIds?(tokenizer: Tokenizer, context: FimContext): number[] | undefined;
}

/** Other files' chunks, and the current file's path, for repository-level prompts. */
export interface FimContext {
  path: string;
  chunks: readonly { path: string; text: string }[];
}
