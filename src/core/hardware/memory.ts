import * as fs from 'node:fs';
import * as os from 'node:os';

/** MemAvailable from /proc/meminfo, in bytes (what can be allocated without swapping), or undefined. */
export function availableFromMeminfo(text: string): number | undefined {
  const m = /^MemAvailable:\s+(\d+)\s*kB/m.exec(text);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** Total and available memory. Linux's MemAvailable counts reclaimable cache; elsewhere Node's free memory. */
export async function probeMemory(): Promise<{ totalBytes: number; availableBytes: number }> {
  let available: number | undefined;
  if (process.platform === 'linux') {
    try {
      available = availableFromMeminfo(await fs.promises.readFile('/proc/meminfo', 'utf8'));
    } catch {
      // not readable (a restricted container): Node's figure below
    }
  }
  return { totalBytes: os.totalmem(), availableBytes: available ?? os.freemem() };
}
