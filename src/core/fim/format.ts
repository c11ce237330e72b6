import type { Tokenizer } from '../engine/tokenizer';

/** The model families whose fill-in-the-middle formats Infill knows. */
export type FimFamilyName = 'codellama' | 'starcoder' | 'deepseek' | 'qwen' | 'codegemma';
export const FIM_FAMILIES: readonly FimFamilyName[] = ['codellama', 'starcoder', 'deepseek', 'qwen', 'codegemma'];

/** Prefix-suffix-middle or suffix-prefix-middle ordering. */
export type FimOrder = 'psm' | 'spm';

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

/** Looks up token strings, failing with the name of the missing one. */
export function requireTokens(tokenizer: Tokenizer, family: FimFamilyName, tokens: readonly string[]): number[] {
  return tokens.map((t) => {
    const id = tokenizer.tokenId(t);
    if (id === undefined) throw new Error(`the tokenizer has no ${t} token, which the ${family} FIM format needs`);
    return id;
  });
}

export function optionalTokens(tokenizer: Tokenizer, tokens: readonly string[]): number[] {
  return tokens.map((t) => tokenizer.tokenId(t)).filter((id): id is number => id !== undefined);
}

export const hasTokens = (tokenizer: Tokenizer, tokens: readonly string[]): boolean =>
  tokens.every((t) => tokenizer.tokenId(t) !== undefined);
