import * as ort from 'onnxruntime-node';
import { InfillError } from '../errors';
import type { ModelConfig } from './modelFolder';
import { reserveCache, type KvCache } from './kvCache';

/** What the engine learns from the ONNX session's input metadata, never assuming one model's numbers. */
export interface DecoderSignature {
  pastNames: string[];
  kvType: 'float32' | 'float16';
  kvHeads: number;
  headDim: number;
  hasPositionIds: boolean;
  logitsToKeepName: string | undefined;
  hasUseCacheBranch: boolean;
}

const PAST = /^past_key_values\.(\d+)\.(key|value)$/;

/** Reads the signature from the graph's inputs (onnxruntime-node's session and the bound session describe them alike). */
export function readSignature(
  graph: { readonly inputMetadata: readonly ort.InferenceSession.ValueMetadata[] },
  config: ModelConfig,
): DecoderSignature {
  const inputs = graph.inputMetadata;
  const names = inputs.map((m) => m.name);
  for (const required of ['input_ids', 'attention_mask']) {
    if (!names.includes(required)) {
      throw new InfillError(
        'model-corrupt',
        `The ONNX graph has no ${required} input`,
        'Use a decoder exported with its KV cache (Optimum or transformers.js layout)',
      );
    }
  }
  const pastNames = names.filter((n) => PAST.test(n));
  if (pastNames.length === 0) {
    throw new InfillError(
      'model-corrupt',
      'The ONNX graph has no past_key_values.* inputs',
      'Export the model with its KV cache ("text-generation-with-past" in Optimum)',
    );
  }
  const first = inputs.find((m) => m.name === pastNames[0]);
  const shape = first && first.isTensor ? first.shape : [];
  const kvType = first && first.isTensor && first.type === 'float16' ? 'float16' : 'float32';
  const kvHeads = typeof shape[1] === 'number' ? shape[1] : config.numKvHeads;
  const headDim = typeof shape[3] === 'number' ? shape[3] : config.headDim;
  return {
    pastNames,
    kvType,
    kvHeads,
    headDim,
    hasPositionIds: names.includes('position_ids'),
    logitsToKeepName: names.find((n) => n === 'num_logits_to_keep' || n === 'logits_to_keep'),
    hasUseCacheBranch: names.includes('use_cache_branch'),
  };
}

/** fp16 bits to a number (for models whose logits are float16). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** int64 data in its own ArrayBuffer (never in the JavaScript heap, where a garbage collection could move it). */
function int64Data(values: readonly number[]): BigInt64Array {
  const data = new BigInt64Array(new ArrayBuffer(Math.max(64, values.length * 8)), 0, values.length);
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]!);
  return data;
}

/** A graph input as data and shape, for either runtime to wrap in its own tensor type. */
export interface InputData {
  name: string;
  type: 'int64' | 'bool';
  data: BigInt64Array | Uint8Array;
  dims: number[];
}

/** The inputs besides the KV cache that a step over `ids` after `past` cached positions feeds, as the graph declares them. */
export function stepInputs(
  signature: DecoderSignature,
  ids: readonly number[],
  past: number,
  logitRows: number,
): InputData[] {
  const total = past + ids.length;
  const inputs: InputData[] = [
    { name: 'input_ids', type: 'int64', data: int64Data(ids), dims: [1, ids.length] },
    { name: 'attention_mask', type: 'int64', data: onesData(total), dims: [1, total] },
  ];
  if (signature.hasPositionIds)
    inputs.push({
      name: 'position_ids',
      type: 'int64',
      data: int64Data(ids.map((_, i) => past + i)),
      dims: [1, ids.length],
    });
  if (signature.logitsToKeepName)
    inputs.push({
      name: signature.logitsToKeepName,
      type: 'int64',
      data: int64Data([logitsKept(signature, ids, logitRows)]),
      dims: [],
    });
  if (signature.hasUseCacheBranch)
    inputs.push({
      name: 'use_cache_branch',
      type: 'bool',
      data: new Uint8Array(new ArrayBuffer(64), 0, 1).fill(past > 0 ? 1 : 0),
      dims: [1],
    });
  return inputs;
}

/** How many rows of logits the graph computes: logits_to_keep's value where it has one (at least 1), else every position. */
export function logitsKept(signature: DecoderSignature, ids: readonly number[], logitRows: number): number {
  return signature.logitsToKeepName ? Math.max(1, logitRows) : ids.length;
}

let ones = new BigInt64Array(0);
/** `n` ones (an attention mask), sharing one growing buffer. */
export function onesData(n: number): BigInt64Array {
  if (ones.length < n) ones = new BigInt64Array(Math.max(n, 2 * ones.length)).fill(1n);
  return ones.subarray(0, n);
}

/** One forward pass at a time over a decoder with a KV cache; batch size 1. */
export interface Decoder {
  /** Decided once by probeLayout(): whether past and present can share one preallocated buffer. */
  readonly layout: KvCache['layout'];
  readonly signature: DecoderSignature;
  /** The graph's outputs, as onnxruntime-node describes them. */
  readonly outputMetadata: readonly ort.InferenceSession.ValueMetadata[];
  emptyCache(): KvCache;
  /**
   * Called before a request with the most positions it can reach: a decoder may size a shared cache for all of them at
   * once (one allocation, no copies as it grows), or leave the cache to grow step by step.
   */
  reserve(cache: KvCache, positions: number): KvCache;
  probeLayout(tokenId: number): Promise<KvCache['layout']>;
  /**
   * Feeds `ids` after `cache` and returns the logits of its last `logitRows` positions (0: none), row after row.
   * `quiet` keeps onnxruntime from logging a failure the caller expects.
   */
  forward(
    cache: KvCache,
    ids: readonly number[],
    logitRows: number,
    quiet?: boolean,
  ): Promise<{ cache: KvCache; logits?: Float32Array }>;
  release(): Promise<void>;
}

/** A cache with no positions, one empty tensor per past input. */
export function emptyKvCache(signature: DecoderSignature, layout: KvCache['layout']): KvCache {
  const { kvType, kvHeads, headDim } = signature;
  const tensors = new Map<string, ort.Tensor>();
  for (const name of signature.pastNames) {
    tensors.set(
      name,
      new ort.Tensor(kvType, kvType === 'float32' ? new Float32Array(0) : new Uint16Array(0), [1, kvHeads, 0, headDim]),
    );
  }
  return { ids: [], tensors, layout };
}

/**
 * Tries one token with past and present bound to the same 4-position buffers. A GroupQueryAttention export accepts
 * that and appends in place; a concatenating export rejects the preallocated present shape.
 */
export async function probeSharedLayout(decoder: Decoder, tokenId: number): Promise<boolean> {
  try {
    const probe = reserveCache(emptyKvCache(decoder.signature, 'shared'), 4, 4);
    const { cache } = await decoder.forward(probe, [tokenId], 0, true); // a rejection is expected: don't log it
    const written = [...cache.tensors.values()].some((t) =>
      (t.data as Float32Array | Uint16Array).some((v) => v !== 0),
    );
    return written && cache.tensors.values().next().value?.dims[2] === 4;
  } catch {
    return false;
  }
}

/** The name of the output that carries a past input's next value. */
export const presentName = (pastName: string): string => pastName.replace('past_key_values', 'present');

export function missingOutput(name: string): InfillError {
  return name === 'logits'
    ? new InfillError('model-corrupt', 'The ONNX graph has no logits output', 'Use a causal LM export')
    : new InfillError(
        'model-corrupt',
        `The ONNX graph has no ${name} output`,
        'Use a decoder exported with its KV cache',
      );
}

/** What both decoders share: the layout probe, and forward()'s checks and its split around the logit rows. */
export abstract class DecoderBase implements Decoder {
  layout: KvCache['layout'] = 'concat';

  constructor(
    readonly signature: DecoderSignature,
    readonly vocabSize: number,
    readonly maxPositions: number,
  ) {}

  abstract readonly outputMetadata: readonly ort.InferenceSession.ValueMetadata[];
  abstract reserve(cache: KvCache, positions: number): KvCache;
  abstract release(): Promise<void>;
  /** One run of the graph over `ids`, returning its last `logitRows` rows of logits (the graph can give just those). */
  protected abstract run(
    cache: KvCache,
    ids: readonly number[],
    logitRows: number,
    quiet: boolean,
  ): Promise<{ cache: KvCache; logits?: Float32Array }>;

  emptyCache(): KvCache {
    return emptyKvCache(this.signature, this.layout);
  }

  async probeLayout(tokenId: number): Promise<KvCache['layout']> {
    this.layout = 'shared';
    this.layout = (await probeSharedLayout(this, tokenId)) ? 'shared' : 'concat';
    return this.layout;
  }

  /**
   * The graph's logits_to_keep input chooses the logit rows when it has one; without it, the positions before those
   * rows run in a pass that fetches no logits, so a long prefill never copies `prompt x vocabulary` floats.
   */
  async forward(
    cache: KvCache,
    ids: readonly number[],
    logitRows: number,
    quiet = false,
  ): Promise<{ cache: KvCache; logits?: Float32Array }> {
    if (ids.length === 0) throw new Error('forward() needs at least one token');
    if (logitRows > ids.length) throw new Error('forward() cannot return more logit rows than tokens fed');
    if (logitRows > 0 && logitRows < ids.length && !this.signature.logitsToKeepName) {
      const head = await this.run(cache, ids.slice(0, ids.length - logitRows), 0, quiet);
      return this.run(head.cache, ids.slice(ids.length - logitRows), logitRows, quiet);
    }
    return this.run(cache, ids, logitRows, quiet);
  }
}

/** The decoder on onnxruntime-node's session API: fetched outputs come back as copies after every run. */
export class OnnxDecoder extends DecoderBase {
  constructor(
    readonly session: ort.InferenceSession,
    signature: DecoderSignature,
    vocabSize: number,
    maxPositions: number,
  ) {
    super(signature, vocabSize, maxPositions);
  }

  get outputMetadata(): readonly ort.InferenceSession.ValueMetadata[] {
    return this.session.outputMetadata;
  }

  /** The cache grows with the sequence instead: onnxruntime-node copies the whole buffer back after every run. */
  reserve(cache: KvCache): KvCache {
    return cache;
  }

  protected async run(
    cache: KvCache,
    ids: readonly number[],
    logitRows: number,
    quiet: boolean,
  ): Promise<{ cache: KvCache; logits?: Float32Array }> {
    const past = cache.ids.length;
    const total = past + ids.length;
    const shared = cache.layout === 'shared';
    if (shared) cache = reserveCache(cache, total, this.maxPositions);
    const feeds: Record<string, ort.Tensor> = {};
    for (const input of stepInputs(this.signature, ids, past, logitRows))
      feeds[input.name] = new ort.Tensor(input.type, input.data, input.dims);
    const fetches: Record<string, ort.Tensor | null> = {};
    for (const [name, t] of cache.tensors) {
      feeds[name] = t;
      // Shared layout: the present output is bound to the very buffer fed as past, so the graph appends in place.
      fetches[presentName(name)] = shared ? t : null;
    }
    if (logitRows > 0) fetches['logits'] = null;
    const out = await this.session.run(feeds, fetches, quiet ? { logSeverityLevel: 4 } : {});
    const tensors = new Map<string, ort.Tensor>();
    for (const name of this.signature.pastNames) {
      const t = shared ? cache.tensors.get(name) : out[presentName(name)];
      if (!t) throw missingOutput(presentName(name));
      tensors.set(name, t);
    }
    const next: KvCache = { ids: [...cache.ids, ...ids], tensors, layout: cache.layout };
    if (logitRows === 0) return { cache: next };
    const logits = out['logits'];
    if (!logits) throw missingOutput('logits');
    const vocab = logits.dims[logits.dims.length - 1] ?? this.vocabSize;
    const data = logits.data as Float32Array | Uint16Array;
    const start = data.length - logitRows * vocab;
    const rows =
      data instanceof Float32Array ? data.slice(start) : Float32Array.from(data.subarray(start), halfToFloat);
    return { cache: next, logits: rows };
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
