import type { GenerateParams, GenerationReport } from '../../protocol';
import type { TestLanguage } from '../testLanguages';

export type { TestLanguage } from '../testLanguages';

/** Plain generation (the protocol's `generate`): the engine host through the client, or an in-process engine. */
export type GenerateFn = (params: GenerateParams, signal?: AbortSignal) => Promise<GenerationReport>;

/** Sampling of one generation, whichever way the prompt goes to the model. */
export type SamplingParams = Pick<GenerateParams, 'maxNewTokens' | 'temperature' | 'topP' | 'seed' | 'stopStrings'>;

/** A chat API that applies the model's template itself (a remote OpenAI-compatible server's /v1/chat/completions). */
export type ChatFn = (messages: { role: 'user'; content: string }[], params: SamplingParams, signal?: AbortSignal) => Promise<GenerationReport>;

/** What the harness needs to know of the model's prompt format. */
export interface PromptModel {
  /** Renders a conversation with the tokenizer's chat template; absent for base models (prompts by completion). */
  applyChatTemplate?: (messages: { role: 'user'; content: string }[]) => Promise<string>;
  /** The model is behind a chat API: instruct prompts go to it as messages (and GenerateFn is not used for them). */
  chat?: ChatFn;
}

/** A function found in a source file, the subject of generated tests. */
export interface LocatedFunction {
  name: string;
  /** The class a method belongs to (tests construct it), when the function is a method. */
  className?: string;
  language: TestLanguage;
  /** 0-based first line (decorators and comments right above included) and last line, inclusive. */
  startLine: number;
  endLine: number;
  /** The function's source text (lines startLine..endLine). */
  source: string;
  /** JavaScript/TypeScript: whether the module exports it (tests can only import what is exported). */
  exported: boolean;
}

/** A range the editor's document symbol provider knows (0-based lines), used instead of the locator's own scan. */
export interface FunctionHint {
  name: string;
  kind: 'function' | 'method' | 'class';
  startLine: number;
  endLine: number;
}
