import * as ort from 'onnxruntime-node';
import {
  DecoderBase,
  halfToFloat,
  logitsKept,
  missingOutput,
  presentName,
  stepInputs,
  type DecoderSignature,
} from './decoder';
import { reserveCache, type KvCache } from './kvCache';
import type { NativeSession, NativeTensor, TensorData } from './native/nativeSession';

/**
 * The decoder on onnxruntime's C API with IO binding (see native/). Every input and output is a tensor over
 * JavaScript-owned memory that onnxruntime reads and writes in place:
 * - shared layout: past and present are the same preallocated buffer, so a step writes only the new positions;
 * - concat layout: present is bound to a new buffer of the concatenated length, which the next step feeds as past;
 * - logits are written straight into the array that is returned.
 * Nothing is copied back after a run, unlike onnxruntime-node's session API (OnnxDecoder).
 */
export class BoundDecoder extends DecoderBase {
  private readonly outputNames: ReadonlySet<string>;
  private readonly logitsType: 'float32' | 'float16';
  private readonly logitsVocab: number;

  constructor(
    readonly session: NativeSession,
    signature: DecoderSignature,
    vocabSize: number,
    maxPositions: number,
  ) {
    super(signature, vocabSize, maxPositions);
    this.outputNames = new Set(session.outputMetadata.map((m) => m.name));
    const logits = session.outputMetadata.find((m) => m.name === 'logits');
    this.logitsType = logits?.isTensor && logits.type === 'float16' ? 'float16' : 'float32';
    const vocab = logits?.isTensor ? logits.shape[logits.shape.length - 1] : undefined;
    this.logitsVocab = typeof vocab === 'number' ? vocab : vocabSize;
  }

  get outputMetadata(): readonly ort.InferenceSession.ValueMetadata[] {
    return this.session.outputMetadata;
  }

  /**
   * A shared cache gets room for the whole request at once: a bound buffer costs nothing per step however long it
   * is, and growing it means copying it while the old one is still alive (twice the cache at that moment).
   */
  reserve(cache: KvCache, positions: number): KvCache {
    return cache.layout === 'shared'
      ? reserveCache(cache, Math.min(positions, this.maxPositions), this.maxPositions)
      : cache;
  }

  protected async run(
    cache: KvCache,
    ids: readonly number[],
    logitRows: number,
    quiet: boolean,
  ): Promise<{ cache: KvCache; logits?: Float32Array }> {
    // Yield once per run, as onnxruntime-node does: messages (a cancel) are handled between steps.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const past = cache.ids.length;
    const total = past + ids.length;
    const shared = cache.layout === 'shared';
    if (shared) cache = reserveCache(cache, total, this.maxPositions);
    const { kvType, kvHeads, headDim } = this.signature;
    const bound: NativeTensor[] = [];
    const tensor = (data: TensorData, type: string, dims: readonly number[]): NativeTensor => {
      const t = this.session.tensor(data, type, dims);
      bound.push(t);
      return t;
    };
    const inputs = new Map<string, NativeTensor>();
    const outputs = new Map<string, NativeTensor>();
    const nextTensors = new Map<string, ort.Tensor>();
    let logits: Float32Array | Uint16Array | undefined;
    const logitsRowsOut = logitsKept(this.signature, ids, logitRows);
    try {
      for (const input of stepInputs(this.signature, ids, past, logitRows))
        inputs.set(input.name, tensor(input.data, input.type, input.dims));
      for (const name of this.signature.pastNames) {
        const present = presentName(name);
        if (!this.outputNames.has(present)) throw missingOutput(present);
        const t = cache.tensors.get(name)!;
        const input = tensor(t.data as TensorData, kvType, t.dims);
        inputs.set(name, input);
        if (shared) {
          outputs.set(present, input);
          nextTensors.set(name, t);
        } else {
          const size = kvHeads * total * headDim;
          const data = kvType === 'float32' ? new Float32Array(size) : new Uint16Array(size);
          outputs.set(present, tensor(data, kvType, [1, kvHeads, total, headDim]));
          nextTensors.set(name, new ort.Tensor(kvType, data, [1, kvHeads, total, headDim]));
        }
      }
      if (logitRows > 0) {
        if (!this.outputNames.has('logits')) throw missingOutput('logits');
        const size = logitsRowsOut * this.logitsVocab;
        logits = this.logitsType === 'float32' ? new Float32Array(size) : new Uint16Array(size);
        outputs.set('logits', tensor(logits, this.logitsType, [1, logitsRowsOut, this.logitsVocab]));
      }
      this.session.run(inputs, outputs, quiet);
    } finally {
      for (const t of bound) t.release();
    }
    const next: KvCache = { ids: [...cache.ids, ...ids], tensors: nextTensors, layout: cache.layout };
    if (!logits) return { cache: next };
    const start = logits.length - logitRows * this.logitsVocab;
    const rows =
      logits instanceof Float32Array ? logits.subarray(start) : Float32Array.from(logits.subarray(start), halfToFloat);
    return { cache: next, logits: rows };
  }

  release(): Promise<void> {
    this.session.release();
    return Promise.resolve();
  }
}
