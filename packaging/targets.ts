/** The platforms a VSIX is built for, and the onnxruntime-node binaries each one needs. */
export interface Target {
  /** vsce's --target name. */
  name: string;
  /** onnxruntime-node's folder under bin/napi-v6/ (process.platform/process.arch). */
  os: NodeJS.Platform;
  arch: string;
  /** Files of that folder the VSIX must carry: the binding and the runtime (and DirectML on Windows). */
  binaries: string[];
}

export const TARGETS: readonly Target[] = [
  { name: 'linux-x64', os: 'linux', arch: 'x64', binaries: ['onnxruntime_binding.node', 'libonnxruntime.so.1'] },
  {
    name: 'win32-x64',
    os: 'win32',
    arch: 'x64',
    // DirectML.dll runs the DirectML provider; dxcompiler.dll and dxil.dll are loaded on demand by onnxruntime.dll's
    // shader compilation. All four ship in onnxruntime-node's Windows build, so all four ship here.
    binaries: ['onnxruntime_binding.node', 'onnxruntime.dll', 'DirectML.dll', 'dxcompiler.dll', 'dxil.dll'],
  },
  {
    name: 'darwin-arm64',
    os: 'darwin',
    arch: 'arm64',
    // The binding links @rpath/libonnxruntime.1.dylib; the npm package also carries an identical copy named
    // libonnxruntime.1.30.0.dylib (a symlink upstream, 44 MB as a file), which is left out.
    binaries: ['onnxruntime_binding.node', 'libonnxruntime.1.dylib'],
  },
];

export function findTarget(name: string): Target {
  const target = TARGETS.find((t) => t.name === name);
  if (!target) throw new Error(`unknown target ${name}: use one of ${TARGETS.map((t) => t.name).join(', ')}`);
  return target;
}

/** Largest VSIX allowed without the shipped model, in bytes. */
export const BUDGET_BYTES = 40 * 1024 * 1024;
