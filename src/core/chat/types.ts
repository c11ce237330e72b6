import type { GenerateParams, GenerationReport } from '../../protocol';

/** One message of a conversation, as chat templates take it. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What chat needs to know of a model's tokenizer. */
export interface ChatModelInfo {
  hasChatTemplate: boolean;
  /** The template text (to see whether it uses Llama's [INST] tags), when there is one. */
  chatTemplate: string | undefined;
  /** Special token strings of the tokenizer (`<s>`, `</s>`, `<|im_start|>`...): user text may not contain them. */
  specialTokens: string[];
  /** The model's context window in tokens. */
  maxPositions: number;
}

interface ChatBackendBase {
  /** Display name of the model. */
  readonly name: string;
  info(): Promise<ChatModelInfo>;
  countTokens(text: string): Promise<number>;
}

/**
 * A model run by Infill (the engine in this process for the CLI, the engine host behind the protocol for the
 * extension): the conversation renders the prompt with the model's chat template and generates from it, counting real
 * tokens. AbortSignal cancels generation.
 */
export interface PromptChatBackend extends ChatBackendBase {
  readonly kind: 'prompt';
  applyChatTemplate(messages: ChatMessage[]): Promise<string>;
  generate(params: GenerateParams, signal?: AbortSignal, onText?: (delta: string) => void): Promise<GenerationReport>;
}

/** What a message-level backend is asked for one answer. */
export interface ChatParams {
  maxNewTokens: number;
  temperature: number;
  topP: number;
}

/**
 * A server that takes the messages and applies its own chat template (an OpenAI-compatible /v1/chat/completions).
 * Its tokenizer is not here: `countTokens` is an estimate and `info().maxPositions` is the window the user configured.
 * AbortSignal cancels the answer (the report then says `aborted`, with the text so far).
 */
export interface MessageChatBackend extends ChatBackendBase {
  readonly kind: 'messages';
  chat(messages: readonly ChatMessage[], params: ChatParams, signal?: AbortSignal, onText?: (delta: string) => void): Promise<GenerationReport>;
}

/** A model that chats. Every call may be asynchronous. */
export type ChatBackend = PromptChatBackend | MessageChatBackend;

/** Code the user attaches to a question: the editor's selection or a whole file. */
export interface ContextChip {
  kind: 'selection' | 'file';
  /** Workspace-relative path (or the document's name). */
  path: string;
  /** Markdown fence language (`python`, `typescript`...). */
  language: string;
  text: string;
  /** 1-based line of the text's first line in the file. */
  startLine: number;
}

/** How one chip went into the prompt. */
export interface ContextUse {
  label: string;
  /** Lines kept, 1-based inclusive, in the file's numbering. */
  fromLine: number;
  toLine: number;
  totalLines: number;
  tokens: number;
  cut: boolean;
}

export interface UserTurn {
  role: 'user';
  /** What the user typed. */
  question: string;
  /** The message as sent to the model: the question and the attached code. */
  content: string;
  context: ContextUse[];
}

export interface AssistantTurn {
  role: 'assistant';
  content: string;
  stopReason: GenerationReport['stopReason'] | 'error';
}

export type Turn = UserTurn | AssistantTurn;
