import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Koffi from 'koffi';
import { ORT_API_SLOTS, ORT_API_VERSION, type OrtFunctionName } from './ortApiSlots';

/**
 * onnxruntime's C API, reached through koffi (a maintained FFI with prebuilt binaries for every platform VS Code runs
 * on) in the very shared library onnxruntime-node ships and has already loaded. onnxruntime-node's own JavaScript API
 * has no IO binding and copies every fetched output back into JavaScript memory after each run; the C API binds the
 * KV cache in place and returns nothing per step. Only the functions Infill needs are declared.
 */

/** A handle from the C API (an opaque pointer as koffi gives it back). */
export type Handle = unknown;

/** An error raised by onnxruntime, with its OrtErrorCode. */
export class OrtCallError extends Error {
  constructor(
    readonly call: string,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'OrtCallError';
  }
}

/** The onnxruntime shared library inside onnxruntime-node, for this platform. */
export function ortLibraryPath(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const binDir = path.join(path.dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', platform, arch);
  const names =
    platform === 'win32'
      ? ['onnxruntime.dll']
      : platform === 'darwin'
        ? ['libonnxruntime.1.dylib']
        : ['libonnxruntime.so.1'];
  for (const name of names) {
    const file = path.join(binDir, name);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`onnxruntime-node has no ${names.join(' or ')} in ${binDir}`);
}

/** The C prototype of each function Infill calls; `void *` stands for every handle type. */
const PROTOTYPES: Record<OrtFunctionName, string> = {
  GetErrorCode: 'int GetErrorCode(void *status)',
  GetErrorMessage: 'const char *GetErrorMessage(void *status)',
  ReleaseStatus: 'void ReleaseStatus(void *status)',
  CreateEnv: 'void *CreateEnv(int level, const char *logid, _Out_ void **env)',
  ReleaseEnv: 'void ReleaseEnv(void *env)',
  CreateSessionOptions: 'void *CreateSessionOptions(_Out_ void **options)',
  ReleaseSessionOptions: 'void ReleaseSessionOptions(void *options)',
  SetSessionExecutionMode: 'void *SetSessionExecutionMode(void *options, int mode)',
  SetSessionLogSeverityLevel: 'void *SetSessionLogSeverityLevel(void *options, int level)',
  SetSessionGraphOptimizationLevel: 'void *SetSessionGraphOptimizationLevel(void *options, int level)',
  SetIntraOpNumThreads: 'void *SetIntraOpNumThreads(void *options, int threads)',
  SetInterOpNumThreads: 'void *SetInterOpNumThreads(void *options, int threads)',
  DisableCpuMemArena: 'void *DisableCpuMemArena(void *options)',
  AddSessionConfigEntry: 'void *AddSessionConfigEntry(void *options, const char *key, const char *value)',
  CreateSession:
    process.platform === 'win32'
      ? 'void *CreateSession(void *env, const char16_t *path, void *options, _Out_ void **session)'
      : 'void *CreateSession(void *env, const char *path, void *options, _Out_ void **session)',
  ReleaseSession: 'void ReleaseSession(void *session)',
  SessionGetInputCount: 'void *SessionGetInputCount(void *session, _Out_ size_t *count)',
  SessionGetOutputCount: 'void *SessionGetOutputCount(void *session, _Out_ size_t *count)',
  SessionGetInputName: 'void *SessionGetInputName(void *session, size_t index, void *allocator, _Out_ void **name)',
  SessionGetOutputName: 'void *SessionGetOutputName(void *session, size_t index, void *allocator, _Out_ void **name)',
  SessionGetInputTypeInfo: 'void *SessionGetInputTypeInfo(void *session, size_t index, _Out_ void **info)',
  SessionGetOutputTypeInfo: 'void *SessionGetOutputTypeInfo(void *session, size_t index, _Out_ void **info)',
  ReleaseTypeInfo: 'void ReleaseTypeInfo(void *info)',
  CastTypeInfoToTensorInfo: 'void *CastTypeInfoToTensorInfo(void *info, _Out_ void **tensorInfo)',
  GetTensorElementType: 'void *GetTensorElementType(void *tensorInfo, _Out_ int *type)',
  GetDimensionsCount: 'void *GetDimensionsCount(void *tensorInfo, _Out_ size_t *count)',
  GetDimensions: 'void *GetDimensions(void *tensorInfo, int64_t *dims, size_t count)',
  GetAllocatorWithDefaultOptions: 'void *GetAllocatorWithDefaultOptions(_Out_ void **allocator)',
  AllocatorFree: 'void *AllocatorFree(void *allocator, void *p)',
  CreateCpuMemoryInfo: 'void *CreateCpuMemoryInfo(int allocatorType, int memType, _Out_ void **info)',
  ReleaseMemoryInfo: 'void ReleaseMemoryInfo(void *info)',
  CreateTensorWithDataAsOrtValue:
    'void *CreateTensorWithDataAsOrtValue(void *info, void *data, size_t bytes, const int64_t *shape, size_t rank, int type, _Out_ void **value)',
  ReleaseValue: 'void ReleaseValue(void *value)',
  CreateRunOptions: 'void *CreateRunOptions(_Out_ void **options)',
  RunOptionsSetRunLogSeverityLevel: 'void *RunOptionsSetRunLogSeverityLevel(void *options, int level)',
  ReleaseRunOptions: 'void ReleaseRunOptions(void *options)',
  CreateIoBinding: 'void *CreateIoBinding(void *session, _Out_ void **binding)',
  ReleaseIoBinding: 'void ReleaseIoBinding(void *binding)',
  BindInput: 'void *BindInput(void *binding, const char *name, void *value)',
  BindOutput: 'void *BindOutput(void *binding, const char *name, void *value)',
  ClearBoundInputs: 'void ClearBoundInputs(void *binding)',
  ClearBoundOutputs: 'void ClearBoundOutputs(void *binding)',
  RunWithBinding: 'void *RunWithBinding(void *session, void *runOptions, void *binding)',
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- koffi's functions are variadic by prototype
type NativeFunction = (...args: any[]) => any;

/** The C API's functions by name; those returning an OrtStatus* are wrapped to throw OrtCallError. */
export interface OrtApi {
  readonly koffi: typeof Koffi;
  readonly libraryPath: string;
  readonly version: string;
  /** Calls a function that returns an OrtStatus*, throwing its message when it fails. */
  call(name: OrtFunctionName, ...args: unknown[]): void;
  /** Calls a function that returns a value (or void) directly. */
  raw(name: OrtFunctionName, ...args: unknown[]): unknown;
}

let loaded: OrtApi | undefined;
let loadError: Error | undefined;

/** Loads the C API once per process; throws the same error on every later call when it cannot be loaded. */
export function loadOrtApi(): OrtApi {
  if (loaded) return loaded;
  if (loadError) throw loadError;
  try {
    loaded = bindApi();
    return loaded;
  } catch (err) {
    loadError = err instanceof Error ? err : new Error(String(err));
    throw loadError;
  }
}

function bindApi(): OrtApi {
  // Loaded on demand: a missing prebuilt binary is a fallback, not a crash.
  const koffi = require('koffi') as typeof Koffi;
  const libraryPath = ortLibraryPath();
  const lib = koffi.load(libraryPath);
  const getApiBase = lib.func('void *OrtGetApiBase()') as NativeFunction;
  const base: unknown = getApiBase();
  const [getApiPtr, getVersionPtr] = koffi.decode(base, koffi.array('void *', 2, 'Array')) as unknown[];
  const getVersion = koffi.decode(getVersionPtr, koffi.proto('const char *OrtGetVersionString()')) as NativeFunction;
  const version = getVersion() as string;
  const getApi = koffi.decode(getApiPtr, koffi.proto('void *OrtGetApi(uint32_t version)')) as NativeFunction;
  const table: unknown = getApi(ORT_API_VERSION);
  if (!table) throw new Error(`onnxruntime ${version} does not offer C API version ${ORT_API_VERSION}`);
  const slotCount = Math.max(...Object.values(ORT_API_SLOTS)) + 1;
  const pointers = koffi.decode(table, koffi.array('void *', slotCount, 'Array')) as unknown[];
  const functions = new Map<OrtFunctionName, NativeFunction>();
  for (const name of Object.keys(PROTOTYPES) as OrtFunctionName[]) {
    const pointer = pointers[ORT_API_SLOTS[name]];
    if (!pointer) throw new Error(`onnxruntime ${version} has no ${name}`);
    functions.set(
      name,
      koffi.decode(pointer, koffi.proto(PROTOTYPES[name].replace(/^([^(]*?)(\w+)\(/, '$1Ort$2('))) as NativeFunction,
    );
  }
  const fn = (name: OrtFunctionName): NativeFunction => functions.get(name)!;
  const getErrorCode = fn('GetErrorCode');
  const getErrorMessage = fn('GetErrorMessage');
  const releaseStatus = fn('ReleaseStatus');
  return {
    koffi,
    libraryPath,
    version,
    call(name, ...args) {
      const status: unknown = fn(name)(...args);
      if (!status) return;
      const code = getErrorCode(status) as number;
      const message = getErrorMessage(status) as string;
      releaseStatus(status);
      throw new OrtCallError(name, code, message);
    },
    raw: (name, ...args): unknown => fn(name)(...args) as unknown,
  };
}
