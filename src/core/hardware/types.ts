/** What the machine offers a model: memory, CPU and GPUs, as the probe found them (or as a fixed profile gives them). */
export interface HardwareProfile {
  platform: NodeJS.Platform;
  arch: string;
  cpu: CpuInfo;
  memory: { totalBytes: number; availableBytes: number };
  gpus: GpuInfo[];
  /** Read bandwidth of main memory in GB/s, measured by the probe with every core reading; undefined when not measured. */
  memoryBandwidthGBps?: number;
  /** What could not be probed, and why (`nvidia-smi not found`): shown by `infill doctor`, never an error. */
  notes: string[];
}

export interface CpuInfo {
  model: string;
  /** Logical cores (what onnxruntime's thread pool can use). */
  cores: number;
  /** The vector extensions the matrix kernels use; undefined where this platform does not say. */
  features?: CpuFeatures;
}

export interface CpuFeatures {
  avx2: boolean;
  avx512: boolean;
  /** AVX-512 VNNI or AVX-VNNI: int8 dot products (the q8 kernels). */
  vnni: boolean;
  /** Arm: NEON and the int8 dot-product extension. */
  neon: boolean;
  dotprod: boolean;
}

export interface GpuInfo {
  vendor: 'nvidia' | 'amd' | 'intel' | 'apple' | 'other';
  name: string;
  /** Where it was seen: nvidia-smi (a CUDA device) or the Windows display adapters (a DirectML adapter). */
  source: 'nvidia-smi' | 'windows-adapters';
  memoryTotalBytes?: number;
  memoryFreeBytes?: number;
  driver?: string;
}
