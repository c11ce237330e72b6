import type { CommandRunner } from './commands';
import type { GpuInfo } from './types';

const MIB = 1024 * 1024;

export const NVIDIA_SMI_ARGS = [
  '--query-gpu=name,memory.total,memory.free,driver_version',
  '--format=csv,noheader,nounits',
] as const;

/** The GPUs in `nvidia-smi --query-gpu=name,memory.total,memory.free,driver_version --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(csv: string): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const line of csv.split(/\r?\n/)) {
    const cols = line.split(',').map((c) => c.trim());
    if (cols.length < 3 || !cols[0]) continue;
    const mib = (v: string | undefined) => (v && /^\d+(\.\d+)?$/.test(v) ? Number(v) * MIB : undefined);
    gpus.push({
      vendor: 'nvidia',
      name: cols[0],
      source: 'nvidia-smi',
      memoryTotalBytes: mib(cols[1]),
      memoryFreeBytes: mib(cols[2]),
      driver: cols[3] || undefined,
    });
  }
  return gpus;
}

export const WINDOWS_ADAPTERS_COMMAND =
  'Get-CimInstance Win32_VideoController | Select-Object Name,AdapterRAM,DriverVersion | ConvertTo-Json -Compress';

const vendorOf = (name: string): GpuInfo['vendor'] =>
  /nvidia|geforce|quadro|tesla|rtx/i.test(name)
    ? 'nvidia'
    : /amd|radeon/i.test(name)
      ? 'amd'
      : /intel|arc|iris|uhd/i.test(name)
        ? 'intel'
        : 'other';

/**
 * The display adapters in PowerShell's JSON (one object, or an array) of Win32_VideoController: what DirectML can
 * run on. AdapterRAM is a 32-bit field (it reads at most 4 GB), so it is kept only below that.
 */
export function parseWindowsAdapters(json: string): GpuInfo[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  const rows = (Array.isArray(parsed) ? parsed : [parsed]) as {
    Name?: unknown;
    AdapterRAM?: unknown;
    DriverVersion?: unknown;
  }[];
  return rows
    .filter((r) => typeof r?.Name === 'string' && !/basic display|remote display|mirror/i.test(r.Name))
    .map((r) => {
      const name = String(r.Name);
      const ram =
        typeof r.AdapterRAM === 'number' && r.AdapterRAM > 0 && r.AdapterRAM < 0xffffffff ? r.AdapterRAM : undefined;
      return {
        vendor: vendorOf(name),
        name,
        source: 'windows-adapters' as const,
        memoryTotalBytes: ram,
        driver: typeof r.DriverVersion === 'string' ? r.DriverVersion : undefined,
      };
    });
}

/** The GPUs this machine shows: CUDA devices through nvidia-smi, and on Windows the DirectML adapters. */
export async function probeGpus(run: CommandRunner, platform: NodeJS.Platform, notes: string[]): Promise<GpuInfo[]> {
  const gpus: GpuInfo[] = [];
  if (platform === 'linux' || platform === 'win32') {
    const smi = await run('nvidia-smi', NVIDIA_SMI_ARGS);
    if (smi.stdout !== undefined) gpus.push(...parseNvidiaSmi(smi.stdout));
    else notes.push(`NVIDIA GPU: ${smi.error ?? 'nvidia-smi gave nothing'}`);
  }
  if (platform === 'win32') {
    const ps = await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', WINDOWS_ADAPTERS_COMMAND]);
    if (ps.stdout !== undefined) {
      // nvidia-smi already gave the NVIDIA cards with their free memory.
      const seen = new Set(gpus.map((g) => g.name));
      gpus.push(...parseWindowsAdapters(ps.stdout).filter((g) => !seen.has(g.name)));
    } else notes.push(`DirectML adapters: ${ps.error ?? 'PowerShell gave nothing'}`);
  }
  if (platform === 'darwin')
    notes.push('GPU: Apple GPUs are not used (onnxruntime-node has no CoreML/Metal provider here)');
  return gpus;
}
