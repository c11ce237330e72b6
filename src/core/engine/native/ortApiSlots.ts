/**
 * Where each C API function Infill calls sits in onnxruntime's `OrtApi` function table: the position of its member in
 * `struct OrtApi` (include/onnxruntime/core/session/onnxruntime_c_api.h). The table only ever grows at its end, so
 * these positions hold for every onnxruntime that offers ORT_API_VERSION.
 */
export const ORT_API_VERSION = 13;

export const ORT_API_SLOTS = {
  GetErrorCode: 1,
  GetErrorMessage: 2,
  CreateEnv: 3,
  CreateSession: 7,
  CreateSessionOptions: 10,
  SetSessionExecutionMode: 13,
  DisableCpuMemArena: 19,
  SetSessionLogSeverityLevel: 22,
  SetSessionGraphOptimizationLevel: 23,
  SetIntraOpNumThreads: 24,
  SetInterOpNumThreads: 25,
  SessionGetInputCount: 30,
  SessionGetOutputCount: 31,
  SessionGetInputTypeInfo: 33,
  SessionGetOutputTypeInfo: 34,
  SessionGetInputName: 36,
  SessionGetOutputName: 37,
  CreateRunOptions: 39,
  RunOptionsSetRunLogSeverityLevel: 41,
  CreateTensorWithDataAsOrtValue: 49,
  CastTypeInfoToTensorInfo: 55,
  GetTensorElementType: 60,
  GetDimensionsCount: 61,
  GetDimensions: 62,
  CreateCpuMemoryInfo: 69,
  AllocatorFree: 76,
  GetAllocatorWithDefaultOptions: 78,
  ReleaseEnv: 92,
  ReleaseStatus: 93,
  ReleaseMemoryInfo: 94,
  ReleaseSession: 95,
  ReleaseValue: 96,
  ReleaseRunOptions: 97,
  ReleaseTypeInfo: 98,
  ReleaseSessionOptions: 100,
  AddSessionConfigEntry: 130,
  RunWithBinding: 133,
  CreateIoBinding: 134,
  ReleaseIoBinding: 135,
  BindInput: 136,
  BindOutput: 137,
  ClearBoundInputs: 141,
  ClearBoundOutputs: 142,
} as const;

export type OrtFunctionName = keyof typeof ORT_API_SLOTS;
