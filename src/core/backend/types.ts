import type { FimFamilyName } from '../fim/registry';
import type { StopReason } from '../engine/types';

/**
 * What every feature asks of a model, whoever runs it: the engine in this process (CLI, tests), the engine host behind
 * the protocol (the editor), or an OpenAI-compatible server. src/protocol.ts carries these types; it declares none.
 */

/** One message of a conversation, as chat templates take it. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A fill-in-the-middle request: the model writes what goes between prefix and suffix. */
export interface CompleteParams {
  prefix: string;
  suffix: string;
  maxNewTokens: number;
  fimOrder: 'auto' | 'psm' | 'spm';
  fimFamily: 'auto' | FimFamilyName;
  stopStrings?: string[];
  deadlineMs?: number;
  /** Token budgets for the prefix and suffix windows (cut at line boundaries where the tokenizer is). */
  maxPrefixTokens?: number;
  maxSuffixTokens?: number;
  /** Chunks of other files, formatted as the model family expects (repository tokens or comments). */
  context?: { path: string; chunks: { path: string; text: string }[] };
  /** Requests of the same kind preempt each other (a newer keystroke replaces an older completion). */
  kind: string;
}

/** How one answer is sampled, whichever way its prompt reaches the model. */
export interface SamplingParams {
  maxNewTokens: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  seed?: number;
  stopStrings?: string[];
  deadlineMs?: number;
  kind: string;
}

/** Plain generation after a text prompt (base-model prompts of the harness): no infilling, no chat template. */
export interface GenerateParams extends SamplingParams {
  /** The prompt text. Special tokens written in it (e.g. `<s>`, `[INST]` where the vocabulary has them) are parsed. */
  prompt: string;
  /** Add the tokenizer's own special tokens (BOS) in front; false when the prompt already starts with them. */
  addSpecialTokens: boolean;
}

/**
 * A generation's outcome. A local model measures everything; a remote server reports what it says (its usage) and
 * what can be seen from here (the first streamed text): what is not known is absent, never a made-up number.
 */
export interface GenerationReport {
  text: string;
  stopReason: StopReason;
  /** e.g. "codellama-spm", "remote qwen (raw)" (completions only). */
  fimFormat?: string;
  promptTokens?: number;
  /** Prompt tokens whose keys and values came from the previous request's cache. */
  reusedTokens?: number;
  generatedTokens?: number;
  timeToFirstTokenMs?: number;
  totalMs: number;
  /** Decode speed after the first token. */
  tokensPerSecond?: number;
}

/**
 * How chat() turns messages into what the model reads: the tokenizer's chat template, Code Llama - Instruct's
 * `[INST]` tags (a local model without a template), or the server's own template (the messages go as they are).
 */
export type ChatFormat = 'chat-template' | 'codellama-instruct' | 'server';

/** What features need to know of a backend's model. */
export interface ModelInfo {
  /** Display name. */
  name: string;
  chatFormat: ChatFormat;
  /** The tokenizer's template text, when there is one (to see whether it uses Llama's [INST] tags). */
  chatTemplate: string | undefined;
  /** Special token strings of the tokenizer (`<s>`, `</s>`, `<|im_start|>`...): user text may not contain them. */
  specialTokens: string[];
  /** The model's context window in tokens (for a server, the window the user configured). */
  maxPositions: number;
  /** countTokens is exact (the model's tokenizer is here) or an estimate (a server's is not). */
  exactTokenCounts: boolean;
  /**
   * Whether chat() continues a last `assistant` message (the answer's start is given, e.g. `[TESTS]`). Local models
   * do; an OpenAI-compatible server is not required to.
   */
  continuesAssistant: boolean;
}

/**
 * A model, as completion, docstrings, chat and the test harness use it. AbortSignal cancels; `onText` receives the
 * text as it is generated. Every call may be asynchronous (the model may be in another process or on a server).
 */
export interface ModelBackend {
  /** Display name of the model now (it can change when the settings do). */
  readonly name: string;
  info(): Promise<ModelInfo>;
  /** Tokens of a text, or of a conversation as chat() would render it (its template and the generation prompt). */
  countTokens(input: string | readonly ChatMessage[]): Promise<number>;
  complete(params: CompleteParams, signal?: AbortSignal, onText?: (delta: string) => void): Promise<GenerationReport>;
  generate(params: GenerateParams, signal?: AbortSignal, onText?: (delta: string) => void): Promise<GenerationReport>;
  /** One answer to a conversation; a last `assistant` message is the answer's start where `continuesAssistant`. */
  chat(
    messages: readonly ChatMessage[],
    params: SamplingParams,
    signal?: AbortSignal,
    onText?: (delta: string) => void,
  ): Promise<GenerationReport>;
}
