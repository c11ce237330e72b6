/**
 * The one message protocol between the extension (client) and the engine host process (server), declared once and
 * imported by both sides. Messages travel over Node's IPC channel (child_process.fork).
 */
import type { GenerateResult } from './core/engine/types';
import type { ChatMessage } from './core/chat/types';
import type { InfillErrorCode } from './core/errors';

export interface LoadParams {
  modelDir: string;
  variant: 'auto' | 'fp32' | 'fp16' | 'q8' | 'q4';
  provider: 'auto' | 'cpu' | 'cuda' | 'dml';
  threads: number;
  /** On the CPU, onnxruntime's C API with IO binding (see SessionOptions.ioBinding). */
  ioBinding: boolean;
}

export interface ModelSummary {
  name: string;
  dir: string;
  variant: string;
  /** cpu | cuda | dml */
  provider: string;
  providerNote: string;
  fimFamily: string | undefined;
  hasChatTemplate: boolean;
  maxPositions: number;
}

export interface CompleteParams {
  prefix: string;
  suffix: string;
  maxNewTokens: number;
  fimOrder: 'auto' | 'psm' | 'spm';
  fimFamily: 'auto' | 'codellama' | 'starcoder' | 'deepseek' | 'qwen' | 'codegemma';
  stopStrings?: string[];
  deadlineMs?: number;
  /** Token budgets for the prefix and suffix windows (cut at line boundaries in the engine, where the tokenizer is). */
  maxPrefixTokens?: number;
  maxSuffixTokens?: number;
  /** Chunks of other files, formatted as the model family expects (repository tokens or comments). */
  context?: { path: string; chunks: { path: string; text: string }[] };
  /** Requests of the same kind preempt each other (a newer keystroke replaces an older completion). */
  kind: string;
}

/** Plain generation after a text prompt (chat turns, test and solution writing): no infilling. */
export interface GenerateParams {
  /** The prompt text. Special tokens written in it (e.g. `<s>`, `[INST]` where the vocabulary has them) are parsed. */
  prompt: string;
  /** Add the tokenizer's own special tokens (BOS) in front; false when the prompt already starts with them. */
  addSpecialTokens: boolean;
  maxNewTokens: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  seed?: number;
  stopStrings?: string[];
  deadlineMs?: number;
  kind: string;
}

/** A generation's result as it crosses the process boundary: the engine's own, without the token ids. */
export type GenerationReport = Omit<GenerateResult, 'tokens'> & { fimFormat?: string };

/** Request methods: what the client may ask, and what each answers. */
export interface EngineMethods {
  load: { params: LoadParams; result: ModelSummary };
  complete: { params: CompleteParams; result: GenerationReport };
  generate: { params: GenerateParams; result: GenerationReport };
  /** Token count of a text under the loaded model's tokenizer (context budgets). */
  countTokens: { params: { text: string }; result: number };
  /** What chat needs to know of the loaded model's tokenizer (src/core/chat). */
  chatInfo: { params: Record<string, never>; result: { hasChatTemplate: boolean; chatTemplate: string | undefined; specialTokens: string[]; maxPositions: number } };
  /** A conversation rendered with the tokenizer's chat template, ending with the assistant's generation prompt. */
  applyChatTemplate: { params: { messages: ChatMessage[] }; result: string };
  /** Drops the kept KV cache. */
  clearCache: { params: Record<string, never>; result: null };
  /** Generation counts since load. */
  stats: { params: Record<string, never>; result: { generations: number; preempted: number; aborted: number; maxConcurrent: number } };
}
export type EngineMethod = keyof EngineMethods;

export interface WireError {
  message: string;
  /** Present when the error is the user's to fix (bad model folder, provider...). */
  code?: InfillErrorCode;
  fix?: string;
}

export type ClientMessage =
  | { type: 'request'; id: number; method: EngineMethod; params: EngineMethods[EngineMethod]['params'] }
  | { type: 'cancel'; id: number };

export type ServerMessage =
  | { type: 'response'; id: number; result: EngineMethods[EngineMethod]['result'] }
  | { type: 'error'; id: number; error: WireError }
  /** Streamed text of a running request. */
  | { type: 'text'; id: number; delta: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; line: string }
  | { type: 'ready' };

const METHODS: readonly EngineMethod[] = ['load', 'complete', 'generate', 'countTokens', 'chatInfo', 'applyChatTemplate', 'clearCache', 'stats'];

/** Checks a message received from the other side; anything else is dropped and logged by the receiver. */
export function isClientMessage(m: unknown): m is ClientMessage {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  if (typeof o['id'] !== 'number') return false;
  if (o['type'] === 'cancel') return true;
  return o['type'] === 'request' && METHODS.includes(o['method'] as EngineMethod) && typeof o['params'] === 'object' && o['params'] !== null;
}

export function isServerMessage(m: unknown): m is ServerMessage {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  switch (o['type']) {
    case 'ready': return true;
    case 'log': return typeof o['line'] === 'string';
    case 'response': return typeof o['id'] === 'number';
    case 'error': return typeof o['id'] === 'number' && typeof o['error'] === 'object';
    case 'text': return typeof o['id'] === 'number' && typeof o['delta'] === 'string';
    default: return false;
  }
}
