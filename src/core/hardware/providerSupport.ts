import * as fs from 'node:fs';
import * as path from 'node:path';

// What providers this install can run, without loading onnxruntime: the extension host reads it (Select Model,
// Check Setup), and the engine, which loads onnxruntime, builds on it (providers.ts).

/** Execution providers Infill can ask onnxruntime-node for. `auto` tries the platform's GPU provider, then CPU. */
export type ExecutionProviderSetting = 'auto' | 'cpu' | 'cuda' | 'dml';
export type ExecutionProvider = Exclude<ExecutionProviderSetting, 'auto'>;

export const PROVIDER_LABELS: Record<ExecutionProvider, string> = { cpu: 'CPU', cuda: 'CUDA', dml: 'DirectML' };

/** The providers `auto` tries, in order, on this platform. */
export function autoProviders(platform: NodeJS.Platform = process.platform): ExecutionProvider[] {
  if (platform === 'linux') return ['cuda', 'cpu'];
  if (platform === 'win32') return ['dml', 'cpu'];
  return ['cpu'];
}

/** onnxruntime-node ships CPU (and DirectML on Windows); CUDA's libraries come from its install step. */
export function missingRuntime(provider: ExecutionProvider): string | undefined {
  if (provider !== 'cuda') return undefined;
  let binDir: string;
  try {
    binDir = path.join(
      path.dirname(require.resolve('onnxruntime-node')),
      '..',
      'bin',
      'napi-v6',
      process.platform,
      process.arch,
    );
  } catch {
    return undefined;
  }
  return fs.existsSync(path.join(binDir, 'libonnxruntime_providers_cuda.so'))
    ? undefined
    : 'onnxruntime-node was installed without its CUDA libraries (see README: GPU acceleration)';
}

/**
 * Why a provider cannot run on this platform and install, or undefined when it can be tried (whether a GPU is there
 * is the hardware probe's part: `infill doctor` puts the two together).
 */
export function providerUnavailable(
  provider: ExecutionProvider,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (provider === 'cuda' && platform !== 'linux') return 'Infill uses CUDA on Linux only (DirectML on Windows)';
  if (provider === 'dml' && platform !== 'win32') return 'DirectML is a Windows API';
  return missingRuntime(provider);
}
