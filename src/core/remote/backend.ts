import type { ChatMessage, ModelBackend } from '../backend/types';
import { remoteChat } from './chat';
import { remoteComplete, remoteGenerate } from './completion';
import { approxTokens, type RemoteConfig } from './http';

/** The context window of a remote chat model, in tokens, when the user sets none: small enough for most servers' defaults. */
export const DEFAULT_REMOTE_CONTEXT_WINDOW = 4096;

/** Tokens a message costs beyond its content in chat templates (role header, separators), for estimated counts. */
const MESSAGE_OVERHEAD_TOKENS = 8;

/**
 * An OpenAI-compatible server as a ModelBackend: completions and generation on /v1/completions, chat on
 * /v1/chat/completions (the server applies its own template). Its tokenizer is not here: token counts are estimates,
 * budgeted against `contextWindow`, the window the user says the server's model has. `config` is read for each call,
 * so a settings error is that call's error.
 */
export function remoteBackend(
  name: string,
  config: () => Promise<RemoteConfig> | RemoteConfig,
  contextWindow = DEFAULT_REMOTE_CONTEXT_WINDOW,
): ModelBackend {
  const count = (messages: readonly ChatMessage[]) =>
    messages.reduce((n, m) => n + approxTokens(m.content) + MESSAGE_OVERHEAD_TOKENS, 0);
  return {
    name,
    info: () =>
      Promise.resolve({
        name,
        chatFormat: 'server',
        chatTemplate: undefined,
        specialTokens: [],
        maxPositions: contextWindow,
        exactTokenCounts: false,
        continuesAssistant: false,
      }),
    countTokens: (input) => Promise.resolve(typeof input === 'string' ? approxTokens(input) : count(input)),
    complete: async (params, signal) => remoteComplete(await config(), params, signal),
    generate: async (params, signal) => remoteGenerate(await config(), params, signal),
    chat: async (messages, params, signal, onText) =>
      remoteChat(await config(), messages, {
        signal,
        onText,
        maxTokens: params.maxNewTokens,
        temperature: params.temperature,
        topP: params.topP,
        stop: params.stopStrings,
      }),
  };
}
