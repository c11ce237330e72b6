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
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

// Scratch buffers reused by every call, so sampling a token allocates nothing once they have grown to the vocabulary.
let scratchIds = new Int32Array(0);
let scratchWeights = new Float64Array(0);

/** Moves the k best of ids[0..n) to the front (a min-heap of size k, O(n log k)); returns k. */
function selectTopK(ids: Int32Array, n: number, k: number, logits: Float32Array): number {
  const less = (a: number, b: number) => logits[a]! < logits[b]! || (logits[a] === logits[b] && a > b);
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1,
        r = l + 1;
      let m = i;
      if (l < k && less(ids[l]!, ids[m]!)) m = l;
      if (r < k && less(ids[r]!, ids[m]!)) m = r;
      if (m === i) return;
      const t = ids[i]!;
      ids[i] = ids[m]!;
      ids[m] = t;
      i = m;
    }
  };
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(i);
  for (let j = k; j < n; j++) {
    if (less(ids[0]!, ids[j]!)) {
      ids[0] = ids[j]!;
      siftDown(0);
    }
  }
  return k;
}

/** Picks the next token: greedy, or temperature + top-k + top-p sampling with the given random source. */
export function sampleToken(logits: Float32Array, options: SamplingOptions, random: () => number): number {
  if (options.temperature <= 0) return argmax(logits);
  if (scratchIds.length < logits.length) {
    scratchIds = new Int32Array(logits.length);
    scratchWeights = new Float64Array(logits.length);
  }
  let n = 0;
  for (let i = 0; i < logits.length; i++) if (Number.isFinite(logits[i]!)) scratchIds[n++] = i;
  if (n === 0) return argmax(logits);
  if (options.topK > 0 && options.topK < n) n = selectTopK(scratchIds, n, options.topK, logits);
  const ids = scratchIds.subarray(0, n).sort((a, b) => logits[b]! - logits[a]! || a - b);
  const top = logits[ids[0]!]!;
  let total = 0;
  for (let k = 0; k < n; k++) total += scratchWeights[k] = Math.exp((logits[ids[k]!]! - top) / options.temperature);
  let keep = n;
  if (options.topP < 1) {
    let cumulative = 0;
    for (let k = 0; k < n; k++) {
      cumulative += scratchWeights[k]! / total;
      if (cumulative >= options.topP) {
        keep = k + 1;
        break;
      }
    }
  }
  let kept = 0;
  for (let k = 0; k < keep; k++) kept += scratchWeights[k]!;
  let r = random() * kept;
  for (let k = 0; k < keep; k++) {
    r -= scratchWeights[k]!;
    if (r <= 0) return ids[k]!;
  }
  return ids[keep - 1]!;
}
