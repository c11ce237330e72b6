import type { PromptChatBackend } from '../core/chat/types';
import type { EngineClient } from './client';

/** The engine host behind an EngineClient as a chat backend: prompts are built here, tokens counted and generated there. */
export function clientChatBackend(client: EngineClient): PromptChatBackend {
  return {
    kind: 'prompt',
    get name() {
      return client.current.model?.name ?? 'the chat model';
    },
    info: () => client.request('chatInfo', {}),
    countTokens: (text) => client.request('countTokens', { text }),
    applyChatTemplate: (messages) => client.request('applyChatTemplate', { messages }),
    generate: (params, signal, onText) => client.request('generate', params, signal, onText),
  };
}
