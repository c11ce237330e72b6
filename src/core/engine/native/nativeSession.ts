import type * as ort from 'onnxruntime-node';
import { loadOrtApi, type Handle, type OrtApi } from './ortLibrary';

/** What the graph declares of one input or output, in onnxruntime-node's own terms. */
export type ValueMetadata = ort.InferenceSession.ValueMetadata;

/** ONNXTensorElementDataType numbers and the names onnxruntime-node uses for them. */
const ELEMENT_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  21: 'uint4',
  22: 'int4',
};
const ELEMENT_NUMBERS = Object.fromEntries(Object.entries(ELEMENT_TYPES).map(([n, t]) => [t, Number(n)])) as Record<
  string,
  number
>;

export type TensorData = Float32Array | Uint16Array | BigInt64Array | Uint8Array | Int32Array;

export interface NativeSessionOptions {
  /** Intra-op threads; 0 lets onnxruntime decide. */
  threads: number;
  spinWhileBusy: boolean;
}

const ORT_LOGGING_LEVEL_ERROR = 3;
const ORT_ENABLE_ALL = 99;
const ORT_SEQUENTIAL = 0;
const ORT_DEVICE_ALLOCATOR = 0;
const ORT_MEM_TYPE_DEFAULT = 0;

let env: Handle = null;
let cpuMemory: Handle = null;

function processEnv(api: OrtApi): Handle {
  if (!env) {
    const out: Handle[] = [null];
    api.call('CreateEnv', ORT_LOGGING_LEVEL_ERROR, 'infill', out);
    env = out[0];
  }
  return env;
}

function cpuMemoryInfo(api: OrtApi): Handle {
  if (!cpuMemory) {
    const out: Handle[] = [null];
    api.call('CreateCpuMemoryInfo', ORT_DEVICE_ALLOCATOR, ORT_MEM_TYPE_DEFAULT, out);
    cpuMemory = out[0];
  }
  return cpuMemory;
}

/**
 * A tensor whose memory JavaScript owns and onnxruntime reads or writes in place. The typed array must outlive the
 * value, so the value keeps it; `release()` frees only onnxruntime's small descriptor.
 */
export class NativeTensor {
  private handle: Handle;

  constructor(
    private readonly api: OrtApi,
    readonly data: TensorData,
    readonly type: string,
    readonly dims: readonly number[],
  ) {
    const elementType = ELEMENT_NUMBERS[type];
    if (elementType === undefined) throw new Error(`unsupported tensor type ${type}`);
    const out: Handle[] = [null];
    api.call(
      'CreateTensorWithDataAsOrtValue',
      cpuMemoryInfo(api),
      data,
      data.byteLength,
      BigInt64Array.from(dims, (d) => BigInt(d)),
      dims.length,
      elementType,
      out,
    );
    this.handle = out[0];
  }

  get value(): Handle {
    if (!this.handle) throw new Error('the tensor was released');
    return this.handle;
  }

  release(): void {
    if (this.handle) this.api.raw('ReleaseValue', this.handle);
    this.handle = null;
  }
}

/**
 * An onnxruntime session on the CPU provider, run with IO binding: inputs and outputs are tensors over memory the
 * caller owns, written in place. Nothing is copied back after a run.
 */
export class NativeSession {
  private session: Handle;
  private readonly binding: Handle;
  private readonly quietRun: Handle;

  private constructor(
    private readonly api: OrtApi,
    session: Handle,
    readonly inputMetadata: ValueMetadata[],
    readonly outputMetadata: ValueMetadata[],
  ) {
    this.session = session;
    const out: Handle[] = [null];
    api.call('CreateIoBinding', session, out);
    this.binding = out[0];
    api.call('CreateRunOptions', out);
    this.quietRun = out[0];
    api.call('RunOptionsSetRunLogSeverityLevel', this.quietRun, 4);
  }

  /** The onnxruntime version behind the C API. */
  static runtimeVersion(): string {
    return loadOrtApi().version;
  }

  /** Loads the C API (throws when koffi or onnxruntime's library can't be loaded) and creates the session. */
  static create(onnxPath: string, options: NativeSessionOptions): NativeSession {
    const api = loadOrtApi();
    const out: Handle[] = [null];
    api.call('CreateSessionOptions', out);
    const sessionOptions = out[0];
    try {
      api.call('SetSessionGraphOptimizationLevel', sessionOptions, ORT_ENABLE_ALL);
      api.call('SetSessionExecutionMode', sessionOptions, ORT_SEQUENTIAL);
      // Same choices as the onnxruntime-node path (providers.ts): no arena, one inter-op thread, errors only.
      api.call('DisableCpuMemArena', sessionOptions);
      api.call('SetInterOpNumThreads', sessionOptions, 1);
      api.call('SetSessionLogSeverityLevel', sessionOptions, ORT_LOGGING_LEVEL_ERROR);
      if (options.threads > 0) api.call('SetIntraOpNumThreads', sessionOptions, options.threads);
      api.call(
        'AddSessionConfigEntry',
        sessionOptions,
        'session.intra_op.allow_spinning',
        options.spinWhileBusy ? '1' : '0',
      );
      api.call('CreateSession', processEnv(api), onnxPath, sessionOptions, out);
    } finally {
      api.raw('ReleaseSessionOptions', sessionOptions);
    }
    const session = out[0];
    try {
      return new NativeSession(api, session, readMetadata(api, session, 'Input'), readMetadata(api, session, 'Output'));
    } catch (err) {
      api.raw('ReleaseSession', session);
      throw err;
    }
  }

  tensor(data: TensorData, type: string, dims: readonly number[]): NativeTensor {
    return new NativeTensor(this.api, data, type, dims);
  }

  /**
   * Runs with these inputs and outputs bound; outputs are written into their tensors' memory. `quiet` keeps
   * onnxruntime from logging an expected failure.
   */
  run(inputs: ReadonlyMap<string, NativeTensor>, outputs: ReadonlyMap<string, NativeTensor>, quiet = false): void {
    if (!this.session) throw new Error('the session was released');
    try {
      for (const [name, t] of inputs) this.api.call('BindInput', this.binding, name, t.value);
      for (const [name, t] of outputs) this.api.call('BindOutput', this.binding, name, t.value);
      this.api.call('RunWithBinding', this.session, quiet ? this.quietRun : null, this.binding);
    } finally {
      this.api.raw('ClearBoundInputs', this.binding);
      this.api.raw('ClearBoundOutputs', this.binding);
    }
  }

  release(): void {
    if (!this.session) return;
    this.api.raw('ReleaseIoBinding', this.binding);
    this.api.raw('ReleaseRunOptions', this.quietRun);
    this.api.raw('ReleaseSession', this.session);
    this.session = null;
  }
}

function readMetadata(api: OrtApi, session: Handle, kind: 'Input' | 'Output'): ValueMetadata[] {
  const { koffi } = api;
  const count: number[] = [0];
  api.call(`SessionGet${kind}Count`, session, count);
  const allocator: Handle[] = [null];
  api.call('GetAllocatorWithDefaultOptions', allocator);
  const result: ValueMetadata[] = [];
  for (let i = 0; i < count[0]!; i++) {
    const namePtr: Handle[] = [null];
    api.call(`SessionGet${kind}Name`, session, i, allocator[0], namePtr);
    const name = koffi.decode(namePtr[0], 'char', -1) as string;
    api.call('AllocatorFree', allocator[0], namePtr[0]);
    const info: Handle[] = [null];
    api.call(`SessionGet${kind}TypeInfo`, session, i, info);
    try {
      const tensorInfo: Handle[] = [null];
      api.call('CastTypeInfoToTensorInfo', info[0], tensorInfo);
      if (!tensorInfo[0]) {
        result.push({ name, isTensor: false });
        continue;
      }
      const type: number[] = [0];
      api.call('GetTensorElementType', tensorInfo[0], type);
      const rank: number[] = [0];
      api.call('GetDimensionsCount', tensorInfo[0], rank);
      const dims = new BigInt64Array(rank[0] ?? 0);
      if (rank[0]) api.call('GetDimensions', tensorInfo[0], dims, rank[0]);
      // A dynamic axis is named by its position only: callers just tell numbers from names.
      const shape = [...dims].map((d, k) => (d >= 0n ? Number(d) : `dim${k}`));
      result.push({
        name,
        isTensor: true,
        type: (ELEMENT_TYPES[type[0]!] ??
          'string') as ort.Tensor.Type /* types onnxruntime-node has no name for either */,
        shape,
      });
    } finally {
      api.raw('ReleaseTypeInfo', info[0]);
    }
  }
  return result;
}
