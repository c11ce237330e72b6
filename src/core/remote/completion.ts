import type { CompleteParams, GenerationReport } from '../../protocol';
import { chunksAsComments } from '../completion/contextChunks';
import type { CompletionBackend } from '../completion/pipeline';
import { healTrailingIndent, stripHealedIndent } from '../completion/indentHealing';
import { fitPrefix, fitSuffix } from '../completion/tokenWindows';
import { InfillError } from '../errors';
import { approxTokens, postJson, type RemoteConfig } from './http';
import { buildTextFimPrompt } from '../fim/textPrompt';

interface CompletionResponse {
  choices?: { text?: unknown; finish_reason?: unknown; stop_reason?: unknown }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
}

/** Cuts the text at the first stop string, for servers that ignore `stop` or send special tokens as text. */
function cutAtStops(text: string, stops: readonly string[]): { text: string; cut: boolean } {
  let end = text.length;
  for (const s of stops) {
    const at = s ? text.indexOf(s) : -1;
    if (at >= 0 && at < end) end = at;
  }
  return { text: text.slice(0, end), cut: end < text.length };
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** One FIM request to /v1/completions, as a report shaped like the local engine's. */
export async function remoteComplete(config: RemoteConfig, params: CompleteParams, signal?: AbortSignal): Promise<GenerationReport> {
  const t0 = performance.now();
  // Indentation typed on an empty line is healed as the engine heals it: the prompt ends the line, the answer loses it.
  const healed = healTrailingIndent(fitPrefix(params.prefix, params.maxPrefixTokens ?? 1024, approxTokens));
  const prefix = healed.prefix;
  const suffix = fitSuffix(params.suffix, params.maxSuffixTokens ?? 256, approxTokens);
  const context = params.context?.chunks.length ? params.context : undefined;
  let body: Record<string, unknown>;
  let stops = params.stopStrings ?? [];
  let label: string;
  if (config.fimMode === 'raw') {
    const built = buildTextFimPrompt(params.fimFamily, config.model, prefix, suffix, context);
    stops = [...stops, ...built.stops];
    label = built.label;
    body = { prompt: built.prompt };
  } else {
    label = 'suffix field';
    body = { prompt: (context ? chunksAsComments(context.path, context.chunks) : '') + prefix, suffix };
  }
  body = { model: config.model, ...body, max_tokens: params.maxNewTokens, temperature: 0, stream: false, ...(stops.length ? { stop: stops } : {}) };

  const report = (text: string, stopReason: GenerationReport['stopReason'], promptTokens = 0, generatedTokens = 0): GenerationReport => {
    const totalMs = performance.now() - t0;
    return {
      text, stopReason, fimFormat: `remote ${label}`, promptTokens, reusedTokens: 0, generatedTokens,
      timeToFirstTokenMs: totalMs, totalMs, tokensPerSecond: totalMs > 0 ? (generatedTokens * 1000) / totalMs : 0,
    };
  };
  // The deadline ends the request like a user's abort, but answers "deadline" (as the engine does).
  const deadline = new AbortController();
  const timer = params.deadlineMs === undefined ? undefined : setTimeout(() => deadline.abort(), params.deadlineMs);
  const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
  try {
    const call = await postJson(config, '/completions', body, combined);
    let json: CompletionResponse;
    try {
      json = await call.response.json() as CompletionResponse;
    } catch (err) {
      if (combined.aborted) throw err;
      if (call.timedOut()) throw new InfillError('remote-timeout', 'The remote server stopped sending its answer', 'Check the server, or raise infill.remote.timeoutMs');
      throw new InfillError('remote-failed', 'The remote server\'s answer to /v1/completions is not JSON', 'Check that infill.remote.baseUrl points at an OpenAI-compatible server', { cause: err });
    } finally {
      call.done();
    }
    const choice = json.choices?.[0];
    if (!choice || typeof choice.text !== 'string') {
      throw new InfillError('remote-failed', 'The remote server\'s answer to /v1/completions has no choices[0].text', 'Check that infill.remote.baseUrl points at an OpenAI-compatible server');
    }
    const cutText = cutAtStops(choice.text, stops);
    const text = stripHealedIndent(cutText.text, healed.indent);
    const cut = cutText.cut;
    const stopReason: GenerationReport['stopReason'] = cut || typeof choice.stop_reason === 'string' ? 'stop-string'
      : choice.finish_reason === 'length' ? 'max-tokens' : 'eos';
    return report(text, stopReason, num(json.usage?.prompt_tokens), num(json.usage?.completion_tokens));
  } catch (err) {
    if (signal?.aborted) return report('', 'aborted');
    if (deadline.signal.aborted) return report('', 'deadline');
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** The completion pipeline's backend for a remote server: same windows, cancellation and post-processing as the engine. */
export function remoteCompletionBackend(config: RemoteConfig | (() => RemoteConfig)): CompletionBackend {
  return (params, signal) => remoteComplete(typeof config === 'function' ? config() : config, params, signal);
}
