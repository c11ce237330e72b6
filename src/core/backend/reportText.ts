import type { GenerationReport } from './types';

/** "12 tokens, 31.5 tokens/s": the parts the backend measured (a server may not say how many tokens it wrote). */
export function tokensText(r: GenerationReport): string {
  const parts = [
    r.generatedTokens !== undefined ? `${r.generatedTokens} tokens` : undefined,
    r.tokensPerSecond !== undefined ? `${r.tokensPerSecond.toFixed(1)} tokens/s` : undefined,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : `${Math.round(r.totalMs)} ms`;
}

/** "24 prompt tokens (16 reused)", or what of it is known. */
export function promptText(r: GenerationReport): string {
  if (r.promptTokens === undefined) return 'prompt tokens not reported';
  return `${r.promptTokens} prompt tokens${r.reusedTokens !== undefined ? ` (${r.reusedTokens} reused)` : ''}`;
}
