/**
 * Settings of the C library for a process that runs the engine, applied where that process is started (the engine
 * host, the benchmarks' worker processes): glibc reads them once, at process start.
 *
 * Why: onnxruntime-node copies every fetched output into a fresh ArrayBuffer after each run (the bound KV cache
 * included: about 45 KB per position for a 1.1B model), and without the CPU arena every run's scratch buffers are
 * malloc'd too. With glibc's defaults many of those blocks are served by fresh mmap'd pages and unmapped when freed,
 * so each decode step pays page faults on memory it used a step before. Keeping blocks up to 32 MB on the heap, and up
 * to 64 MB of freed heap before returning it to the system, reuses warm pages: bench/scale measured int8 decode of the
 * 1.1B-shape model 17% faster (bench/README.md). Blocks over 32 MB (a long prefill's scratch) are still mmap'd and
 * returned whole after the run, so the memory an idle engine holds stays bounded.
 *
 * Other C libraries (macOS, Windows, musl) ignore the variable.
 */
export const ENGINE_MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864';

/**
 * The environment for an engine process started from `base`. Malloc tunables the user set themselves win; other
 * GLIBC_TUNABLES entries are kept.
 */
export function engineProcessEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const existing = base['GLIBC_TUNABLES'];
  if (existing?.includes('glibc.malloc.')) return { ...base };
  return { ...base, GLIBC_TUNABLES: existing ? `${existing}:${ENGINE_MALLOC_TUNABLES}` : ENGINE_MALLOC_TUNABLES };
}
