import type { Engine, SamplingOptions } from '../engine';
import { renderChat } from '../chat/render';
import { cutAtStops } from './stops';
import type { GenerateResult } from '../engine/types';
import type {
  ChatMessage,
  CompleteParams,
  GenerateParams,
  GenerationReport,
  ModelBackend,
  ModelInfo,
  SamplingParams,
} from './types';

/** The engine's result as it crosses a process boundary: without the token ids. */
function report(r: GenerateResult, text = r.text): GenerationReport {
  return {
    text,
    stopReason: r.stopReason,
    promptTokens: r.promptTokens,
    reusedTokens: r.reusedTokens,
    generatedTokens: r.generatedTokens,
    timeToFirstTokenMs: r.timeToFirstTokenMs,
    totalMs: r.totalMs,
    tokensPerSecond: r.tokensPerSecond,
  };
}

function sampling(p: SamplingParams): Partial<SamplingOptions> {
  return { temperature: p.temperature ?? 0, topK: p.topK ?? 0, topP: p.topP ?? 1, seed: p.seed ?? 0 };
}

export function engineModelInfo(engine: Engine): ModelInfo {
  const t = engine.tokenizer;
  return {
    name: engine.info.name,
    chatFormat: t.chatTemplate !== undefined ? 'chat-template' : 'codellama-instruct',
    chatTemplate: t.chatTemplate,
    specialTokens: [...t.inner.all_special_tokens],
    maxPositions: engine.info.config.maxPositions,
    exactTokenCounts: true,
    continuesAssistant: true,
  };
}

export interface EngineBackendOptions {
  /** Sampling of completions (greedy by default; `infill complete --temperature`). */
  completionSampling?: Partial<SamplingOptions>;
}

/**
 * An engine in this process as a ModelBackend: the CLI and tests use it directly, and the engine host answers the
 * protocol's requests with it, so both run the same code.
 */
export function engineBackend(engine: Engine, options: EngineBackendOptions = {}): ModelBackend {
  const generate = async (
    prompt: string,
    addSpecialTokens: boolean,
    p: SamplingParams,
    signal?: AbortSignal,
    onText?: (delta: string) => void,
  ) =>
    engine.generate(
      {
        promptIds: engine.tokenizer.encode(prompt, addSpecialTokens),
        maxNewTokens: p.maxNewTokens,
        sampling: sampling(p),
        stopStrings: p.stopStrings,
        deadlineMs: p.deadlineMs,
        kind: p.kind,
        continuation: false,
        onText,
      },
      signal,
    );
  return {
    name: engine.info.name,
    info: () => Promise.resolve(engineModelInfo(engine)),
    countTokens: (input) =>
      Promise.resolve(
        engine.tokenizer.encode(
          typeof input === 'string' ? input : renderChat(engine.tokenizer, input).prompt,
          typeof input === 'string',
        ).length,
      ),
    async complete(params: CompleteParams, signal?: AbortSignal, onText?: (delta: string) => void) {
      const r = await engine.complete(
        params.prefix,
        params.suffix,
        {
          maxNewTokens: params.maxNewTokens,
          order: params.fimOrder,
          family: params.fimFamily,
          stopStrings: params.stopStrings,
          deadlineMs: params.deadlineMs,
          kind: params.kind,
          context: params.context,
          maxPrefixTokens: params.maxPrefixTokens,
          maxSuffixTokens: params.maxSuffixTokens,
          sampling: options.completionSampling,
          onText,
        },
        signal,
      );
      return { ...report(r), fimFormat: r.prompt.label };
    },
    async generate(params: GenerateParams, signal?: AbortSignal, onText?: (delta: string) => void) {
      return report(await generate(params.prompt, params.addSpecialTokens, params, signal, onText));
    },
    async chat(
      messages: readonly ChatMessage[],
      params: SamplingParams,
      signal?: AbortSignal,
      onText?: (delta: string) => void,
    ) {
      const rendered = renderChat(engine.tokenizer, messages);
      const stops = [...rendered.stopStrings, ...(params.stopStrings ?? [])];
      const r = await generate(rendered.prompt, false, { ...params, stopStrings: stops }, signal, onText);
      return report(r, cutAtStops(r.text, rendered.stopStrings).text);
    },
  };
}
