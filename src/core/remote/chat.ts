import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { GenerationReport } from '../../protocol';
import type { MessageChatBackend } from '../chat/types';
import { InfillError } from '../errors';
import { approxTokens, postJson, remoteTimeout, type RemoteConfig } from './http';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface RemoteChatOptions {
  signal?: AbortSignal;
  /** Each piece of the answer as it arrives. */
  onText?: (delta: string) => void;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
}

interface ChatChunk {
  choices?: { delta?: { content?: unknown }; message?: { content?: unknown }; finish_reason?: unknown }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
  error?: unknown;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function streamError(config: RemoteConfig, e: unknown): InfillError {
  const message = typeof e === 'string' ? e : typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string'
    ? (e as { message: string }).message : JSON.stringify(e);
  return new InfillError('remote-failed', `The remote server reported an error mid-answer: ${message}`, `Try again; if it persists, see the logs of the server at ${config.baseUrl}`);
}

/**
 * A chat turn on a remote server: streaming /v1/chat/completions (server-sent events), text deltas through
 * `onText`. Resolves with a report shaped like the local engine's: `aborted` (with the text so far) when the caller
 * aborts; an InfillError when the server fails, times out, or cuts the stream before it said it was done.
 */
export async function remoteChat(config: RemoteConfig, messages: readonly ChatMessage[], options: RemoteChatOptions = {}): Promise<GenerationReport> {
  const { signal, onText } = options;
  const t0 = performance.now();
  let text = '';
  let firstAt: number | undefined;
  let finish: unknown;
  let done = false;
  let promptTokens = 0, generatedTokens = 0, deltas = 0;
  const report = (stopReason: GenerationReport['stopReason']): GenerationReport => {
    const totalMs = performance.now() - t0;
    const ttft = firstAt ?? totalMs;
    const generated = generatedTokens || deltas;
    return {
      text, stopReason, promptTokens, reusedTokens: 0, generatedTokens: generated, timeToFirstTokenMs: ttft, totalMs,
      tokensPerSecond: totalMs > ttft && generated > 1 ? ((generated - 1) * 1000) / (totalMs - ttft) : 0,
    };
  };
  const add = (piece: unknown) => {
    if (typeof piece !== 'string' || !piece) return;
    firstAt ??= performance.now() - t0;
    text += piece;
    deltas++;
    onText?.(piece);
  };
  const body = {
    model: config.model, messages, stream: true,
    ...(options.maxTokens !== undefined ? { max_tokens: options.maxTokens } : {}),
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
    ...(options.topP !== undefined ? { top_p: options.topP } : {}),
    ...(options.stop?.length ? { stop: options.stop } : {}),
  };

  let call;
  try {
    call = await postJson(config, '/chat/completions', body, signal);
  } catch (err) {
    if (signal?.aborted) return report('aborted');
    throw err;
  }
  try {
    const contentType = call.response.headers.get('content-type') ?? '';
    if (!contentType.includes('text/event-stream')) {
      // A server that ignores stream: true answers with one JSON object.
      const json = await call.response.json() as ChatChunk;
      if (json.error) throw streamError(config, json.error);
      add(json.choices?.[0]?.message?.content);
      finish = json.choices?.[0]?.finish_reason;
      promptTokens = num(json.usage?.prompt_tokens);
      generatedTokens = num(json.usage?.completion_tokens);
      return report(finish === 'length' ? 'max-tokens' : 'eos');
    }
    let failure: InfillError | undefined;
    const parser = createParser({
      onEvent(event: EventSourceMessage) {
        if (done || failure) return;
        if (event.data.trim() === '[DONE]') { done = true; return; }
        let chunk: ChatChunk;
        try {
          chunk = JSON.parse(event.data) as ChatChunk;
        } catch {
          return; // Comments and keep-alives some servers send.
        }
        if (chunk.error !== undefined || event.event === 'error') { failure = streamError(config, chunk.error ?? chunk); return; }
        const choice = chunk.choices?.[0];
        add(choice?.delta?.content);
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (chunk.usage) {
          promptTokens = num(chunk.usage.prompt_tokens);
          generatedTokens = num(chunk.usage.completion_tokens);
        }
      },
    });
    const decoder = new TextDecoder();
    if (!call.response.body) throw new InfillError('remote-failed', 'The remote server sent an empty chat answer', 'See the server\'s logs');
    try {
      for await (const bytes of call.response.body as AsyncIterable<Uint8Array>) {
        call.touch();
        parser.feed(decoder.decode(bytes, { stream: true }));
        if (failure) throw failure;
        if (done) break;
      }
    } catch (err) {
      if (signal?.aborted) return report('aborted');
      if (call.timedOut()) throw remoteTimeout(config);
      if (err instanceof InfillError) throw err;
      throw new InfillError('remote-failed', `The connection to the remote server broke mid-answer (after ${text.length} characters)`, 'Try again; if it persists, see the server\'s logs', { cause: err });
    }
    if (!done && finish === undefined) {
      throw new InfillError('remote-failed', `The remote server ended its answer early (after ${text.length} characters, without finishing)`, 'Try again; if it persists, see the server\'s logs');
    }
    return report(finish === 'length' ? 'max-tokens' : finish === 'stop' && options.stop?.length ? 'stop-string' : 'eos');
  } finally {
    call.done();
    if (!done) await call.response.body?.cancel().catch(() => undefined);
  }
}

/** The context window of a remote chat model, in tokens, when the user sets none: small enough for most servers' defaults. */
export const DEFAULT_REMOTE_CONTEXT_WINDOW = 4096;

/**
 * A remote server as the chat conversation's backend: the messages go to /v1/chat/completions, where the server applies
 * its own template. Token counts are estimates (characters / 3), budgeted against `contextWindow`, the window the user
 * says the server's model has. `config` is read for each answer, so a settings error is that answer's error.
 */
export function remoteChatBackend(name: string, config: RemoteConfig | (() => Promise<RemoteConfig>), contextWindow = DEFAULT_REMOTE_CONTEXT_WINDOW): MessageChatBackend {
  return {
    kind: 'messages',
    name,
    info: () => Promise.resolve({ hasChatTemplate: true, chatTemplate: undefined, specialTokens: [], maxPositions: contextWindow }),
    countTokens: (text) => Promise.resolve(approxTokens(text)),
    chat: async (messages, params, signal, onText) => remoteChat(typeof config === 'function' ? await config() : config, messages, {
      signal, onText, maxTokens: params.maxNewTokens, temperature: params.temperature, topP: params.topP,
    }),
  };
}
