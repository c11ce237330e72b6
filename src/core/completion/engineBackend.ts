import type { Engine, SamplingOptions } from '../engine';
import type { CompleteParams, GenerateParams, GenerationReport } from '../../protocol';

/** Runs a protocol `complete` request on an in-process engine (the engine host and the CLI both do this). */
export function completeWithEngine(
  engine: Engine, params: CompleteParams, signal?: AbortSignal, onText?: (delta: string) => void, sampling?: Partial<SamplingOptions>,
): Promise<GenerationReport> {
  return engine.complete(params.prefix, params.suffix, {
    maxNewTokens: params.maxNewTokens, order: params.fimOrder, family: params.fimFamily, stopStrings: params.stopStrings,
    deadlineMs: params.deadlineMs, kind: params.kind, context: params.context,
    maxPrefixTokens: params.maxPrefixTokens, maxSuffixTokens: params.maxSuffixTokens, sampling, onText,
  }, signal).then((r) => ({
    text: r.text, stopReason: r.stopReason, fimFormat: r.prompt.label, promptTokens: r.promptTokens, reusedTokens: r.reusedTokens,
    generatedTokens: r.generatedTokens, timeToFirstTokenMs: r.timeToFirstTokenMs, totalMs: r.totalMs, tokensPerSecond: r.tokensPerSecond,
  }));
}

/** Runs a protocol `generate` request (plain continuation of a text prompt) on an in-process engine. */
export async function generateWithEngine(
  engine: Engine, params: GenerateParams, signal?: AbortSignal, onText?: (delta: string) => void,
): Promise<GenerationReport> {
  const r = await engine.generate({
    promptIds: engine.tokenizer.encode(params.prompt, params.addSpecialTokens),
    maxNewTokens: params.maxNewTokens,
    sampling: { temperature: params.temperature ?? 0, topK: params.topK ?? 0, topP: params.topP ?? 1, seed: params.seed ?? 0 },
    stopStrings: params.stopStrings, deadlineMs: params.deadlineMs, kind: params.kind, continuation: false, onText,
  }, signal);
  return {
    text: r.text, stopReason: r.stopReason, promptTokens: r.promptTokens, reusedTokens: r.reusedTokens, generatedTokens: r.generatedTokens,
    timeToFirstTokenMs: r.timeToFirstTokenMs, totalMs: r.totalMs, tokensPerSecond: r.tokensPerSecond,
  };
}
