import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { ChatMessage, GenerationReport } from '../backend/types';
import { InfillError } from '../errors';
import { postJson, remoteTimeout, type RemoteConfig } from './http';

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

/** A count the server reported, or undefined where it sent none. */
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function streamError(config: RemoteConfig, e: unknown): InfillError {
  const message =
    typeof e === 'string'
      ? e
      : typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string'
        ? (e as { message: string }).message
        : JSON.stringify(e);
  return new InfillError(
    'remote-failed',
    `The remote server reported an error mid-answer: ${message}`,
    `Try again; if it persists, see the logs of the server at ${config.baseUrl}`,
  );
}

/**
 * A chat turn on a remote server: streaming /v1/chat/completions (server-sent events), text deltas through
 * `onText`. Resolves with a report shaped like the local engine's: `aborted` (with the text so far) when the caller
 * aborts; an InfillError when the server fails, times out, or cuts the stream before it said it was done.
 */
export async function remoteChat(
  config: RemoteConfig,
  messages: readonly ChatMessage[],
  options: RemoteChatOptions = {},
): Promise<GenerationReport> {
  const { signal, onText } = options;
  const t0 = performance.now();
  let text = '';
  let firstAt: number | undefined;
  let finish: unknown;
  let done = false;
  let promptTokens: number | undefined, generatedTokens: number | undefined;
  // What a server's stream shows: the first text's arrival. Token counts are its usage, when it sends one; a server
  // keeps no KV cache of ours, so there are no reused tokens to report.
  const report = (stopReason: GenerationReport['stopReason']): GenerationReport => {
    const totalMs = performance.now() - t0;
    const decodeMs = firstAt === undefined ? 0 : totalMs - firstAt;
    return {
      text,
      stopReason,
      totalMs,
      ...(firstAt !== undefined ? { timeToFirstTokenMs: firstAt } : {}),
      ...(promptTokens !== undefined ? { promptTokens } : {}),
      ...(generatedTokens !== undefined ? { generatedTokens } : {}),
      ...(generatedTokens !== undefined && generatedTokens > 1 && decodeMs > 0
        ? { tokensPerSecond: ((generatedTokens - 1) * 1000) / decodeMs }
        : {}),
    };
  };
  const add = (piece: unknown) => {
    if (typeof piece !== 'string' || !piece) return;
    firstAt ??= performance.now() - t0;
    text += piece;
    onText?.(piece);
  };
  const body = {
    model: config.model,
    messages,
    stream: true,
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
      const json = (await call.response.json()) as ChatChunk;
      if (json.error) throw streamError(config, json.error);
      add(json.choices?.[0]?.message?.content);
      firstAt = undefined; // One whole answer: when its first token came is not known.
      finish = json.choices?.[0]?.finish_reason;
      promptTokens = num(json.usage?.prompt_tokens);
      generatedTokens = num(json.usage?.completion_tokens);
      return report(finish === 'length' ? 'max-tokens' : 'eos');
    }
    let failure: InfillError | undefined;
    const parser = createParser({
      onEvent(event: EventSourceMessage) {
        if (done || failure) return;
        if (event.data.trim() === '[DONE]') {
          done = true;
          return;
        }
        let chunk: ChatChunk;
        try {
          chunk = JSON.parse(event.data) as ChatChunk;
        } catch {
          return; // Comments and keep-alives some servers send.
        }
        if (chunk.error !== undefined || event.event === 'error') {
          failure = streamError(config, chunk.error ?? chunk);
          return;
        }
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
    if (!call.response.body)
      throw new InfillError('remote-failed', 'The remote server sent an empty chat answer', "See the server's logs");
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
      throw new InfillError(
        'remote-failed',
        `The connection to the remote server broke mid-answer (after ${text.length} characters)`,
        "Try again; if it persists, see the server's logs",
        { cause: err },
      );
    }
    if (!done && finish === undefined) {
      throw new InfillError(
        'remote-failed',
        `The remote server ended its answer early (after ${text.length} characters, without finishing)`,
        "Try again; if it persists, see the server's logs",
      );
    }
    return report(
      finish === 'length' ? 'max-tokens' : finish === 'stop' && options.stop?.length ? 'stop-string' : 'eos',
    );
  } finally {
    call.done();
    if (!done) await call.response.body?.cancel().catch(() => undefined);
  }
}
