import type { GenerateFn } from '../../src/core/harness';

/**
 * The samples a model would have written, one per call, with the report shape of the protocol's generate: the fixed
 * candidate sets the harness tests run for real in the sandbox. `prompts` records what each call was asked.
 */
export function fixedSamples(samples: string[]): GenerateFn & { prompts: string[] } {
  const prompts: string[] = [];
  const fn = (params: { prompt: string; seed?: number }) => {
    prompts.push(params.prompt);
    const text = samples[prompts.length - 1] ?? '';
    return Promise.resolve({ text, stopReason: 'eos' as const, promptTokens: 1, reusedTokens: 0, generatedTokens: 1, timeToFirstTokenMs: 0, totalMs: 0, tokensPerSecond: 0 });
  };
  return Object.assign(fn, { prompts });
}
