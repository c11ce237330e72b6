import { PROVIDER_LABELS, providerUnavailable, type ExecutionProvider } from '../hardware/providerSupport';
import type { FimSelfCheck } from '../engine/selfCheck';
import { formatBytes } from '../models/catalog';
import { isolationPlan } from '../sandbox';
import { nodeInfo } from '../testLanguages/js/runner';
import { pythonInfo } from '../testLanguages/python/runner';
import type { HardwareProfile } from '../hardware/types';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'info';

/** Where a fix is: a setting to change, a command to run, or the README section that explains it. */
export type FixLink =
  | { kind: 'setting'; id: string }
  | { kind: 'command'; id: string; label: string }
  | { kind: 'readme'; section: string };

export interface SetupCheck {
  section: 'Hardware' | 'Engine' | 'Tests' | 'Model';
  label: string;
  status: CheckStatus;
  detail: string;
  fix?: { text: string; link?: FixLink };
}

export interface SetupReport {
  hardware: HardwareProfile;
  checks: SetupCheck[];
}

const gb = (b: number) => `${(b / 1e9).toFixed(1)} GB`;

function hardwareChecks(h: HardwareProfile): SetupCheck[] {
  const f = h.cpu.features;
  const featureText = f
    ? (h.arch === 'arm64'
        ? [f.neon && 'NEON', f.dotprod && 'dot product']
        : [f.avx2 && 'AVX2', f.avx512 && 'AVX-512', f.vnni && 'VNNI']
      )
        .filter(Boolean)
        .join(', ') || 'none of AVX2, AVX-512, VNNI'
    : 'not known on this platform';
  const checks: SetupCheck[] = [
    {
      section: 'Hardware',
      label: 'Memory',
      status: h.memory.totalBytes < 4e9 ? 'warn' : 'ok',
      detail: `${gb(h.memory.availableBytes)} free of ${gb(h.memory.totalBytes)}${h.memoryBandwidthGBps ? `; reads at about ${Math.round(h.memoryBandwidthGBps)} GB/s` : ''}`,
      fix:
        h.memory.totalBytes < 4e9
          ? { text: 'Below 4 GB only the smallest models fit: see Infill: Select Model for what fits' }
          : undefined,
    },
    {
      section: 'Hardware',
      label: 'CPU',
      status: f && h.arch === 'x64' && !f.avx2 ? 'warn' : 'ok',
      detail: `${h.cpu.model}, ${h.cpu.cores} cores; ${featureText}`,
      fix:
        f && h.arch === 'x64' && !f.avx2
          ? { text: 'Without AVX2 onnxruntime falls back to slow kernels: expect a few tokens/s' }
          : undefined,
    },
  ];
  if (h.gpus.length === 0) {
    checks.push({
      section: 'Hardware',
      label: 'GPU',
      status: 'info',
      detail: `none seen (${h.notes.filter((n) => /GPU|DirectML/.test(n)).join('; ') || 'no probe for this platform'})`,
    });
  }
  for (const g of h.gpus) {
    const mem =
      g.memoryTotalBytes !== undefined
        ? `${g.memoryFreeBytes !== undefined ? `${formatBytes(g.memoryFreeBytes)} free of ` : ''}${formatBytes(g.memoryTotalBytes)}`
        : 'memory not reported';
    checks.push({
      section: 'Hardware',
      label: 'GPU',
      status: 'ok',
      detail: `${g.name} (${g.source === 'nvidia-smi' ? 'CUDA, nvidia-smi' : 'DirectML adapter'}), ${mem}${g.driver ? `, driver ${g.driver}` : ''}`,
    });
  }
  return checks;
}

function providerChecks(h: HardwareProfile, configured: string): SetupCheck[] {
  const providers: ExecutionProvider[] =
    h.platform === 'win32' ? ['cpu', 'dml'] : h.platform === 'linux' ? ['cpu', 'cuda'] : ['cpu'];
  return providers.map((p): SetupCheck => {
    const why = providerUnavailable(p, h.platform);
    const gpuSeen =
      p === 'cuda' ? h.gpus.some((g) => g.source === 'nvidia-smi') : p === 'dml' ? h.gpus.length > 0 : true;
    const label = `Provider: ${PROVIDER_LABELS[p]}`;
    if (p === 'cpu') return { section: 'Engine', label, status: 'ok', detail: 'always available' };
    if (why) {
      return {
        section: 'Engine',
        label,
        status: gpuSeen ? 'warn' : 'info',
        detail: `not usable: ${why}${gpuSeen ? '; a GPU is there' : ''}`,
        fix: gpuSeen
          ? {
              text: 'Install the CUDA runtime for onnxruntime-node',
              link: { kind: 'readme', section: 'GPU acceleration' },
            }
          : undefined,
      };
    }
    if (!gpuSeen) {
      return {
        section: 'Engine',
        label,
        status: 'info',
        detail: `installed, but no ${p === 'cuda' ? 'CUDA device (nvidia-smi)' : 'display adapter'} was seen: auto uses the CPU`,
      };
    }
    return {
      section: 'Engine',
      label,
      status: 'ok',
      detail: `usable; ${configured === 'cpu' ? 'infill.executionProvider is cpu, so it is not used' : 'auto tries it first'}`,
      fix:
        configured === 'cpu'
          ? { text: 'Set the provider to auto', link: { kind: 'setting', id: 'infill.executionProvider' } }
          : undefined,
    };
  });
}

function ioBindingCheck(enabled: boolean, why: string | null | undefined): SetupCheck {
  if (why === undefined) {
    return {
      section: 'Engine',
      label: 'IO binding (koffi)',
      status: 'info',
      detail: 'known once the model loads (the engine process loads onnxruntime, not the editor)',
    };
  }
  if (why) {
    return {
      section: 'Engine',
      label: 'IO binding (koffi)',
      status: 'warn',
      detail: why,
      fix: {
        text: 'The session API runs instead (slower decoding); see the README',
        link: { kind: 'readme', section: 'Troubleshooting' },
      },
    };
  }
  return {
    section: 'Engine',
    label: 'IO binding (koffi)',
    status: enabled ? 'ok' : 'info',
    detail: enabled
      ? "onnxruntime's C API loads: the KV cache stays in place"
      : 'loads, but infill.engine.ioBinding is off',
    fix: enabled ? undefined : { text: 'Turn it on', link: { kind: 'setting', id: 'infill.engine.ioBinding' } },
  };
}

async function testRuntimeChecks(): Promise<SetupCheck[]> {
  const [plan, py, node] = await Promise.all([isolationPlan(), pythonInfo(), nodeInfo()]);
  const isolated = [
    plan.networkIsolated && 'network',
    plan.filesystemIsolated && 'files',
    plan.processLimited && 'processes',
  ]
    .filter(Boolean)
    .join(', ');
  return [
    {
      section: 'Tests',
      label: 'Sandbox isolation',
      status: plan.networkIsolated && plan.filesystemIsolated ? 'ok' : 'warn',
      detail: `${isolated ? `isolates ${isolated}` : 'no isolation'}: ${plan.note}`,
      fix:
        plan.networkIsolated && plan.filesystemIsolated
          ? undefined
          : {
              text: 'Install bubblewrap (apt install bubblewrap) for full isolation',
              link: { kind: 'readme', section: 'The sandbox and execution-scored FIM evaluation' },
            },
    },
    py
      ? {
          section: 'Tests',
          label: 'Python',
          status: 'ok',
          detail: `${py.executable}${py.pytest ? ', pytest' : ', no pytest (unittest runs the tests)'}`,
        }
      : {
          section: 'Tests',
          label: 'Python',
          status: 'warn',
          detail: 'no python3 or python on PATH: Generate Tests cannot run Python tests',
          fix: { text: 'Install Python 3' },
        },
    {
      section: 'Tests',
      label: 'Node.js',
      status: 'ok',
      detail: node.electron
        ? `none on PATH: the editor's own runtime runs tests (${node.executable})`
        : node.executable,
    },
  ];
}

/** The model check: the load's FIM self-check, or why there is none. */
export function modelCheck(name: string, check: FimSelfCheck | undefined): SetupCheck {
  if (!check)
    return {
      section: 'Model',
      label: `Model: ${name}`,
      status: 'info',
      detail: 'not loaded yet: complete once to load it',
    };
  return {
    section: 'Model',
    label: `Model: ${name}`,
    status: check.ok ? 'ok' : 'warn',
    detail: check.ok
      ? `infills (${check.family}); a one-line middle ended with its FIM end token in ${check.probe?.tokens ?? 0} tokens`
      : check.problems.join('; '),
    fix: check.ok
      ? undefined
      : {
          text: check.advice ?? 'Try another model',
          link: { kind: 'command', id: 'infill.selectModel', label: 'Select Model' },
        },
  };
}

export interface ReportOptions {
  /** infill.executionProvider */
  provider: string;
  /** infill.engine.ioBinding */
  ioBinding: boolean;
  /** Why onnxruntime's C API does not load here, null when it does, undefined when not known (no engine loaded). */
  ioBindingProblem: string | null | undefined;
  model?: { name: string; check: FimSelfCheck | undefined };
}

/** What Infill can use on this machine, each item with its status and, where something is missing, the fix. */
export async function buildSetupReport(hardware: HardwareProfile, options: ReportOptions): Promise<SetupReport> {
  const checks = [
    ...hardwareChecks(hardware),
    ...providerChecks(hardware, options.provider),
    ioBindingCheck(options.ioBinding, options.ioBindingProblem),
    ...(await testRuntimeChecks()),
  ];
  if (options.model) checks.push(modelCheck(options.model.name, options.model.check));
  return { hardware, checks };
}

const MARK: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', info: 'info' };

/** The report as text: one line per check, grouped by section, with the fix under it. */
export function reportText(report: SetupReport): string[] {
  const lines: string[] = [];
  let section = '';
  for (const c of report.checks) {
    if (c.section !== section) {
      section = c.section;
      lines.push(`${lines.length ? '\n' : ''}${section}`);
    }
    lines.push(`  [${MARK[c.status]}] ${c.label}: ${c.detail}`);
    if (c.fix) lines.push(`         fix: ${c.fix.text}${fixHint(c.fix.link)}`);
  }
  return lines;
}

function fixHint(link: FixLink | undefined): string {
  if (!link) return '';
  if (link.kind === 'setting') return ` (setting ${link.id})`;
  if (link.kind === 'command') return ` (command Infill: ${link.label})`;
  return ` (README: ${link.section})`;
}
