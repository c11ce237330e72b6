/** Decoding settings. temperature 0 is greedy. */
export interface SamplingOptions {
  temperature: number;
  topK: number;
  topP: number;
  seed: number;
}

export const GREEDY: SamplingOptions = { temperature: 0, topK: 0, topP: 1, seed: 0 };

/** mulberry32: a small seeded PRNG, so that sampling with a seed is repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function argmax(logits: Float32Array): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (v > bestValue) { bestValue = v; best = i; }
  }
  return best;
}

/** Picks the next token: greedy, or temperature + top-k + top-p sampling with the given random source. */
export function sampleToken(logits: Float32Array, options: SamplingOptions, random: () => number): number {
  if (options.temperature <= 0) return argmax(logits);
  let ids = Array.from(logits.keys()).filter((i) => Number.isFinite(logits[i]!));
  ids.sort((a, b) => logits[b]! - logits[a]!);
  if (options.topK > 0) ids = ids.slice(0, options.topK);
  const top = logits[ids[0]!]!;
  const weights = ids.map((i) => Math.exp((logits[i]! - top) / options.temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let keep = ids.length;
  if (options.topP < 1) {
    let cumulative = 0;
    for (let k = 0; k < ids.length; k++) {
      cumulative += weights[k]! / total;
      if (cumulative >= options.topP) { keep = k + 1; break; }
    }
  }
  const kept = weights.slice(0, keep);
  let r = random() * kept.reduce((a, b) => a + b, 0);
  for (let k = 0; k < keep; k++) {
    r -= kept[k]!;
    if (r <= 0) return ids[k]!;
  }
  return ids[keep - 1]!;
}
