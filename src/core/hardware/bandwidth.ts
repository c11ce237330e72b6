import { Worker } from 'node:worker_threads';

// Each worker compares two equal buffers (memcmp: pure reads, larger than the caches) for a fixed time after a common
// start, and reports the bytes it read. Plain JavaScript, so it runs the same from the bundle, the tests and the editor.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const a = Buffer.alloc(workerData.bytes, 7), b = Buffer.alloc(workerData.bytes, 7);
Buffer.compare(a, b);
parentPort.once('message', () => {
  let read = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < workerData.ms) { Buffer.compare(a, b); read += 2 * workerData.bytes; }
  parentPort.postMessage({ read, ms: performance.now() - t0 });
});
parentPort.postMessage('ready');
`;

/**
 * Measures main memory's read bandwidth in GB/s with `threads` readers at once (about `ms` of reading plus the
 * allocation of 2 x `bytesPerThread` each). Decoding a token reads every weight once, so this bounds tokens/s.
 */
export async function measureReadBandwidth(
  threads: number,
  options: { ms?: number; bytesPerThread?: number } = {},
): Promise<number> {
  const ms = options.ms ?? 200;
  const bytes = options.bytesPerThread ?? 48 * 1024 * 1024;
  const workers = Array.from(
    { length: Math.max(1, threads) },
    () => new Worker(WORKER_SOURCE, { eval: true, workerData: { bytes, ms } }),
  );
  try {
    const next = (w: Worker) =>
      new Promise<unknown>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
    await Promise.all(workers.map(next));
    const results = workers.map((w) => next(w) as Promise<{ read: number; ms: number }>);
    for (const w of workers) w.postMessage('go');
    const done = await Promise.all(results);
    return done.reduce((sum, r) => sum + r.read / (r.ms / 1000), 0) / 1e9;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
