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

/**
 * A model that chats: the engine in this process (the CLI) or the engine host behind the protocol (the extension).
 * Every call may be asynchronous; AbortSignal cancels generation.
 */
export interface ChatBackend {
  /** Display name of the model. */
  readonly name: string;
  info(): Promise<ChatModelInfo>;
  countTokens(text: string): Promise<number>;
  applyChatTemplate(messages: ChatMessage[]): Promise<string>;
  generate(params: GenerateParams, signal?: AbortSignal, onText?: (delta: string) => void): Promise<GenerationReport>;
}

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
