import type { ModelBackend } from '../core/backend/types';
import type { EngineClient } from './client';

/** The engine host behind an EngineClient as a ModelBackend: each call is one protocol request, cancellable. */
export function clientBackend(client: EngineClient): ModelBackend {
  return {
    get name() {
      return client.current.model?.name ?? 'the local model';
    },
    info: () => client.request('info', {}),
    countTokens: (input) => client.request('countTokens', { input: typeof input === 'string' ? input : [...input] }),
    complete: (params, signal, onText) => client.request('complete', params, signal, onText),
    generate: (params, signal, onText) => client.request('generate', params, signal, onText),
    chat: (messages, sampling, signal, onText) =>
      client.request('chat', { messages: [...messages], sampling }, signal, onText),
  };
}
