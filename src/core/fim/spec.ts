import type { FimRepoFormat } from './repoFormat';

/** The special tokens written around the prefix, the suffix, and before the middle. */
export interface FimTokens {
  readonly prefix: string;
  readonly suffix: string;
  readonly middle: string;
}

/**
 * One fill-in-the-middle family, as data: everything the token-id prompt (local models) and the text prompt (remote
 * servers) need. Each family is declared once, in families/, and listed in registry.ts.
 */
export interface FimFamilySpec<Name extends string = string> {
  /** The name settings and the CLI use (infill.fim.family, --fim-family). */
  readonly name: Name;
  /** The models, as messages name them. */
  readonly displayName: string;
  /** Special tokens of the token-id prompt, as the tokenizer's vocabulary spells them. */
  readonly tokens: FimTokens;
  /** A token only this family has, to tell it apart from a family with the same FIM tokens. */
  readonly marker?: string;
  /** Whether the prompt starts with the tokenizer's BOS token, when it has one. */
  readonly bos: boolean;
  /**
   * Whether the prefix is encoded with SentencePiece's dummy leading space (Meta's encode()); the suffix never is
   * (encode_infilling()). Only Code Llama was trained so.
   */
  readonly prefixLeadingSpace?: boolean;
  /** Whether the family was trained on suffix-first (SPM) prompts. */
  readonly supportsSpm: boolean;
  /** Tokens that end the middle (besides the model's eos ids); those the tokenizer lacks are skipped. */
  readonly stops: readonly string[];
  /** The family's multi-file format; without one, other files go before the prefix as comments. */
  readonly repo?: FimRepoFormat;
  /** The text form of the special tokens for remote servers, when it differs from `tokens`. */
  readonly textTokens?: FimTokens;
  /** Text that ends the middle when a remote server does not stop on it by itself. */
  readonly textStops: readonly string[];
  /** Matched against the lowercased name of a served model (`Qwen/Qwen2.5-Coder-7B`, `codellama:7b-code`...). */
  readonly modelName: RegExp;
}

/** Keeps the family's name as a literal type, so that FimFamilyName derives from the registry. */
export const defineFimFamily = <Name extends string>(spec: FimFamilySpec<Name>): FimFamilySpec<Name> => spec;
