import * as os from 'node:os';
import { measureReadBandwidth } from './bandwidth';
import { systemRunner, type CommandRunner } from './commands';
import { probeCpu } from './cpu';
import { probeGpus } from './gpu';
import { probeMemory } from './memory';
import type { HardwareProfile } from './types';

export interface ProbeOptions {
  /** Runs nvidia-smi, PowerShell and sysctl (tests pass their own). */
  run?: CommandRunner;
  /** Measure memory bandwidth (about a quarter of a second on every core); default true. */
  bandwidth?: boolean;
}

/** This machine's memory, CPU and GPUs. Never throws for a tool that is missing: the profile's notes say what was not seen. */
export async function probeHardware(options: ProbeOptions = {}): Promise<HardwareProfile> {
  const run = options.run ?? systemRunner();
  const notes: string[] = [];
  const [cpu, memory, gpus] = await Promise.all([
    probeCpu(run, notes),
    probeMemory(),
    probeGpus(run, process.platform, notes),
  ]);
  let memoryBandwidthGBps: number | undefined;
  if (options.bandwidth !== false) {
    try {
      memoryBandwidthGBps = await measureReadBandwidth(Math.min(cpu.cores, 8));
    } catch (err) {
      notes.push(`memory bandwidth: not measured (${(err as Error).message})`);
    }
  }
  return { platform: process.platform, arch: os.arch(), cpu, memory, gpus, memoryBandwidthGBps, notes };
}
