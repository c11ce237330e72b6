import type { CompleteParams, GenerateParams, GenerationReport } from '../backend/types';
import { chunksAsComments } from '../completion/contextChunks';
import { healTrailingIndent, stripHealedIndent } from '../completion/indentHealing';
import { fitPrefix, fitSuffix } from '../completion/tokenWindows';
import { cutAtStops } from '../backend/stops';
import { InfillError } from '../errors';
import { approxTokens, postJson, type RemoteConfig } from './http';
import { buildTextFimPrompt } from '../fim/textPrompt';

interface CompletionResponse {
  choices?: { text?: unknown; finish_reason?: unknown; stop_reason?: unknown }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
}

/** A count the server reported, or undefined where it sent none. */
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** One FIM request to /v1/completions, as a report shaped like the local engine's. */
export async function remoteComplete(
  config: RemoteConfig,
  params: CompleteParams,
  signal?: AbortSignal,
): Promise<GenerationReport> {
  // Indentation typed on an empty line is healed as the engine heals it: the prompt ends the line, the answer loses it.
  const healed = healTrailingIndent(fitPrefix(params.prefix, params.maxPrefixTokens ?? 1024, approxTokens));
  const prefix = healed.prefix;
  const suffix = fitSuffix(params.suffix, params.maxSuffixTokens ?? 256, approxTokens);
  const context = params.context?.chunks.length ? params.context : undefined;
  if (config.fimMode === 'raw') {
    const built = buildTextFimPrompt(params.fimFamily, config.model, prefix, suffix, context);
    return postCompletion(
      config,
      { prompt: built.prompt },
      {
        maxNewTokens: params.maxNewTokens,
        stops: [...(params.stopStrings ?? []), ...built.stops],
        deadlineMs: params.deadlineMs,
        label: `remote ${built.label}`,
        healedIndent: healed.indent,
      },
      signal,
    );
  }
  return postCompletion(
    config,
    { prompt: (context ? chunksAsComments(context.path, context.chunks) : '') + prefix, suffix },
    {
      maxNewTokens: params.maxNewTokens,
      stops: params.stopStrings ?? [],
      deadlineMs: params.deadlineMs,
      label: 'remote suffix field',
      healedIndent: healed.indent,
    },
    signal,
  );
}

/** Plain generation on /v1/completions: the prompt as it is, sampled as asked. */
export function remoteGenerate(
  config: RemoteConfig,
  params: GenerateParams,
  signal?: AbortSignal,
): Promise<GenerationReport> {
  return postCompletion(
    config,
    {
      prompt: params.prompt,
      ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
      ...(params.topP !== undefined ? { top_p: params.topP } : {}),
      ...(params.seed !== undefined ? { seed: params.seed } : {}),
    },
    {
      maxNewTokens: params.maxNewTokens,
      stops: params.stopStrings ?? [],
      deadlineMs: params.deadlineMs,
      healedIndent: '',
    },
    signal,
  );
}

interface CompletionCall {
  maxNewTokens: number;
  stops: string[];
  deadlineMs: number | undefined;
  /** The FIM format, for completions. */
  label?: string;
  /** Indentation healed off the prompt, taken off the answer's start. */
  healedIndent: string;
}

/** A non-streaming /v1/completions request (greedy unless the body says otherwise), cut at the stop strings. */
async function postCompletion(
  config: RemoteConfig,
  prompt: Record<string, unknown>,
  call: CompletionCall,
  signal?: AbortSignal,
): Promise<GenerationReport> {
  const t0 = performance.now();
  const { stops } = call;
  const body = {
    model: config.model,
    temperature: 0,
    ...prompt,
    max_tokens: call.maxNewTokens,
    stream: false,
    ...(stops.length ? { stop: stops } : {}),
  };
  // The answer comes whole (no streaming): the time of its first token and the decode speed cannot be seen from here,
  // and a server keeps no KV cache of ours. Token counts are the server's usage, when it sends one.
  const report = (
    text: string,
    stopReason: GenerationReport['stopReason'],
    promptTokens?: number,
    generatedTokens?: number,
  ): GenerationReport => ({
    text,
    stopReason,
    totalMs: performance.now() - t0,
    ...(call.label ? { fimFormat: call.label } : {}),
    ...(promptTokens !== undefined ? { promptTokens } : {}),
    ...(generatedTokens !== undefined ? { generatedTokens } : {}),
  });
  // The deadline ends the request like a user's abort, but answers "deadline" (as the engine does).
  const deadline = new AbortController();
  const timer = call.deadlineMs === undefined ? undefined : setTimeout(() => deadline.abort(), call.deadlineMs);
  const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
  try {
    const posted = await postJson(config, '/completions', body, combined);
    let json: CompletionResponse;
    try {
      json = (await posted.response.json()) as CompletionResponse;
    } catch (err) {
      if (combined.aborted) throw err;
      if (posted.timedOut())
        throw new InfillError(
          'remote-timeout',
          'The remote server stopped sending its answer',
          'Check the server, or raise infill.remote.timeoutMs',
        );
      throw new InfillError(
        'remote-failed',
        "The remote server's answer to /v1/completions is not JSON",
        'Check that infill.remote.baseUrl points at an OpenAI-compatible server',
        { cause: err },
      );
    } finally {
      posted.done();
    }
    const choice = json.choices?.[0];
    if (!choice || typeof choice.text !== 'string') {
      throw new InfillError(
        'remote-failed',
        "The remote server's answer to /v1/completions has no choices[0].text",
        'Check that infill.remote.baseUrl points at an OpenAI-compatible server',
      );
    }
    const cutText = cutAtStops(choice.text, stops);
    const text = stripHealedIndent(cutText.text, call.healedIndent);
    const stopReason: GenerationReport['stopReason'] =
      cutText.cut || typeof choice.stop_reason === 'string'
        ? 'stop-string'
        : choice.finish_reason === 'length'
          ? 'max-tokens'
          : 'eos';
    return report(text, stopReason, num(json.usage?.prompt_tokens), num(json.usage?.completion_tokens));
  } catch (err) {
    if (signal?.aborted) return report('', 'aborted');
    if (deadline.signal.aborted) return report('', 'deadline');
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
