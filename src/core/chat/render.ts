import type { ChatMessage } from '../backend/types';
import { SPECIAL_TAGS, codeLlamaInstructPrompt } from './codeLlamaInstruct';

/** What rendering needs of a local tokenizer. */
export interface TemplateTokenizer {
  readonly chatTemplate: string | undefined;
  applyChatTemplate(messages: ChatMessage[]): string;
}

export interface RenderedChat {
  /** The prompt text; it starts with its own BOS (both formats write it), so none is added when encoding. */
  prompt: string;
  format: 'chat-template' | 'codellama-instruct';
  /** Where the answer ends besides the model's EOS: Code Llama - Instruct's next `[INST]`. */
  stopStrings: string[];
}

/**
 * A conversation as a local model reads it: the tokenizer's chat template with the generation prompt, or Code Llama -
 * Instruct's format when there is no template. A last `assistant` message is the answer's start: it follows the
 * generation prompt as it is.
 */
export function renderChat(tokenizer: TemplateTokenizer, messages: readonly ChatMessage[]): RenderedChat {
  const last = messages[messages.length - 1];
  const continues = last?.role === 'assistant';
  const start = continues ? last.content : '';
  const dialog = continues ? messages.slice(0, -1) : [...messages];
  if (!tokenizer.chatTemplate) {
    return {
      prompt: codeLlamaInstructPrompt(dialog) + start,
      format: 'codellama-instruct',
      stopStrings: [SPECIAL_TAGS[0]!],
    };
  }
  return { prompt: applyTemplate(tokenizer, dialog) + start, format: 'chat-template', stopStrings: [] };
}

function applyTemplate(tokenizer: TemplateTokenizer, messages: ChatMessage[]): string {
  try {
    return tokenizer.applyChatTemplate(messages);
  } catch (err) {
    // Some templates refuse a system role: its text then goes to the first user message.
    if (messages[0]?.role !== 'system' || !messages[1]) throw err;
    const [system, first, ...rest] = messages;
    return tokenizer.applyChatTemplate([{ role: 'user', content: `${system.content}\n\n${first.content}` }, ...rest]);
  }
}
