import type { GenerationReport } from '../backend/types';

export type { ChatMessage } from '../backend/types';

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
