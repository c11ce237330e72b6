import * as ort from 'onnxruntime-node';

/** The key/value cache of one sequence: the token ids whose keys and values it holds, and the tensors by input name. */
export interface KvCache {
  readonly ids: readonly number[];
  /** past_key_values.{i}.key|value -> [batch=1, kv_heads, ids.length, head_dim] */
  readonly tensors: ReadonlyMap<string, ort.Tensor>;
}

/** Number of leading tokens two sequences share. */
export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

type KvData = Float32Array | Uint16Array;

/** Keeps the first `length` positions of every tensor (axis 2 of [1, heads, seq, head_dim]). */
export function truncateCache(cache: KvCache, length: number): KvCache {
  if (length >= cache.ids.length) return cache;
  const tensors = new Map<string, ort.Tensor>();
  for (const [name, t] of cache.tensors) {
    const [batch, heads, seq, dim] = t.dims as [number, number, number, number];
    const src = t.data as KvData;
    const dst = src instanceof Float32Array ? new Float32Array(batch * heads * length * dim) : new Uint16Array(batch * heads * length * dim);
    for (let h = 0; h < batch * heads; h++) {
      dst.set(src.subarray(h * seq * dim, h * seq * dim + length * dim), h * length * dim);
    }
    tensors.set(name, new ort.Tensor(t.type as 'float32' | 'float16', dst, [batch, heads, length, dim]));
  }
  return { ids: cache.ids.slice(0, length), tensors };
}
