import * as fs from 'node:fs';
import * as os from 'node:os';
import type { CommandRunner } from './commands';
import type { CpuFeatures, CpuInfo } from './types';

/** The features in a list of CPU flags: Linux's /proc/cpuinfo `flags`/`Features`, or macOS's sysctl feature words. */
export function featuresFromFlags(flags: readonly string[]): CpuFeatures {
  const has = new Set(flags.map((f) => f.toLowerCase()));
  return {
    avx2: has.has('avx2'),
    avx512: has.has('avx512f'),
    vnni: has.has('avx512_vnni') || has.has('avx_vnni') || has.has('avx512vnni') || has.has('avxvnni'),
    neon: has.has('asimd') || has.has('neon'),
    dotprod: has.has('asimddp') || has.has('dotprod'),
  };
}

/** The flags of the first processor in /proc/cpuinfo (x86 `flags`, Arm `Features`). */
export function flagsFromCpuinfo(text: string): string[] | undefined {
  const line = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(text);
  return line ? line[1]!.trim().split(/\s+/) : undefined;
}

/** The CPU: model, logical cores, and its vector features where the platform tells them. */
export async function probeCpu(run: CommandRunner, notes: string[]): Promise<CpuInfo> {
  const cpus = os.cpus();
  const info: CpuInfo = {
    model: cpus[0]?.model.trim() || os.arch(),
    cores: os.availableParallelism?.() ?? cpus.length,
  };
  if (process.platform === 'linux') {
    try {
      const flags = flagsFromCpuinfo(await fs.promises.readFile('/proc/cpuinfo', 'utf8'));
      if (flags) info.features = featuresFromFlags(flags);
      else notes.push('CPU features: /proc/cpuinfo lists no flags');
    } catch (err) {
      notes.push(`CPU features: cannot read /proc/cpuinfo (${(err as Error).message})`);
    }
  } else if (process.platform === 'darwin') {
    if (process.arch === 'arm64') {
      const dot = await run('sysctl', ['-n', 'hw.optional.arm.FEAT_DotProd']);
      info.features = featuresFromFlags(['neon', ...(dot.stdout?.trim() === '1' ? ['dotprod'] : [])]);
    } else {
      const r = await run('sysctl', ['-n', 'machdep.cpu.features', 'machdep.cpu.leaf7_features']);
      if (r.stdout) info.features = featuresFromFlags(r.stdout.split(/\s+/).map((f) => f.replace(/\./g, '_')));
      else notes.push(`CPU features: sysctl did not answer (${r.error})`);
    }
  } else {
    notes.push(`CPU features: not probed on ${process.platform}`);
  }
  return info;
}
