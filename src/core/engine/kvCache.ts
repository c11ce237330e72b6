import * as ort from 'onnxruntime-node';

/**
 * The key/value cache of one sequence: the token ids whose keys and values it holds, and the tensors by input name.
 *
 * Two layouts, chosen by what the export allows:
 * - `concat`: each tensor is [1, kv_heads, ids.length, head_dim]; the graph concatenates past and new into a fresh
 *   present tensor every step (standard Optimum / transformers.js exports).
 * - `shared`: each tensor is a preallocated buffer [1, kv_heads, capacity, head_dim] that is fed as past and bound as
 *   present, so the graph appends in place (GroupQueryAttention exports, as onnxruntime-genai's model builder makes).
 *   Only the first ids.length positions are valid; nothing is copied per step.
 */
export interface KvCache {
  readonly ids: readonly number[];
  readonly tensors: ReadonlyMap<string, ort.Tensor>;
  readonly layout: 'concat' | 'shared';
}

/** Number of leading tokens two sequences share. */
export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

type KvData = Float32Array | Uint16Array;

/** The sequence length axis of a cache tensor: its length (concat) or its capacity (shared). */
export function cacheCapacity(cache: KvCache): number {
  const first = cache.tensors.values().next().value;
  return first ? (first.dims[2] ?? 0) : 0;
}

/** Copies the first `keep` positions of every head into tensors `length` positions long. */
function resize(cache: KvCache, keep: number, length: number): Map<string, ort.Tensor> {
  const tensors = new Map<string, ort.Tensor>();
  for (const [name, t] of cache.tensors) {
    const [batch, heads, seq, dim] = t.dims as [number, number, number, number];
    const src = t.data as KvData;
    const dst =
      src instanceof Float32Array
        ? new Float32Array(batch * heads * length * dim)
        : new Uint16Array(batch * heads * length * dim);
    for (let h = 0; h < batch * heads; h++) {
      dst.set(src.subarray(h * seq * dim, h * seq * dim + keep * dim), h * length * dim);
    }
    tensors.set(name, new ort.Tensor(t.type as 'float32' | 'float16', dst, [batch, heads, length, dim]));
  }
  return tensors;
}

/** Keeps the first `length` positions. A shared cache only forgets the rest (the next step overwrites it); a concat cache is copied. */
export function truncateCache(cache: KvCache, length: number): KvCache {
  if (length >= cache.ids.length) return cache;
  if (cache.layout === 'shared') return { ...cache, ids: cache.ids.slice(0, length) };
  return { ids: cache.ids.slice(0, length), tensors: resize(cache, length, length), layout: 'concat' };
}

/**
 * Makes room for `needed` positions in a shared cache. The buffers stay close to the sequence's length, growing 64
 * positions at a time (one copy per 64 steps): onnxruntime-node copies every fetched output back into JavaScript
 * memory after each run, so a buffer much longer than the sequence would cost its whole size on every step.
 */
export function reserveCache(cache: KvCache, needed: number, maxPositions: number): KvCache {
  const capacity = cacheCapacity(cache);
  if (cache.layout !== 'shared' || needed <= capacity) return cache;
  const grown = Math.max(needed, Math.min(maxPositions, Math.ceil(needed / 64) * 64));
  return { ...cache, tensors: resize(cache, cache.ids.length, grown) };
}
