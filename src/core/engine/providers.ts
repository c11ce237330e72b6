import * as ort from 'onnxruntime-node';
import { InfillError } from '../errors';
import {
  autoProviders,
  missingRuntime,
  PROVIDER_LABELS,
  type ExecutionProvider,
  type ExecutionProviderSetting,
} from '../hardware/providerSupport';
import { NativeSession } from './native/nativeSession';
import { loadOrtApi } from './native/ortLibrary';

export {
  autoProviders,
  PROVIDER_LABELS,
  providerUnavailable,
  type ExecutionProvider,
  type ExecutionProviderSetting,
} from '../hardware/providerSupport';

export interface SessionWithProvider {
  /** onnxruntime-node's session, or (CPU with IO binding) a session on onnxruntime's C API. */
  session: ort.InferenceSession | NativeSession;
  provider: ExecutionProvider;
  /** One line: which provider runs, and why the ones tried before it did not. */
  providerNote: string;
}

export interface SessionOptions {
  provider: ExecutionProviderSetting;
  /** Intra-op threads for the CPU provider; 0 lets onnxruntime decide. */
  threads: number;
  /**
   * Let onnxruntime's worker threads spin between the parallel parts of a run (lower latency). Either way they
   * block shortly after a run ends, so an idle extension burns no CPU (bench/scale measures it).
   */
  spinWhileBusy?: boolean;
  /**
   * Run the CPU provider through onnxruntime's C API with IO binding (the KV cache stays in place, no copies after a
   * run). When the C API can't be loaded here, onnxruntime-node's session API runs instead and the note says why.
   */
  ioBinding?: boolean;
}

/** Why IO binding (onnxruntime's C API through koffi) cannot run here, or undefined when it loads. */
export function ioBindingUnavailable(): string | undefined {
  const failures: string[] = [];
  return cApiLoads(failures) ? undefined : failures[0];
}

/** Whether onnxruntime's C API loads here (koffi's prebuilt binary, onnxruntime's library); notes why not. */
function cApiLoads(failures: string[]): boolean {
  try {
    loadOrtApi();
    return true;
  } catch (err) {
    failures.push(`IO binding unavailable, using onnxruntime-node's session API: ${firstLine(err)}`);
    return false;
  }
}

/** The load note: what runs, and why the providers (or IO binding) tried before it did not. */
function providerNote(what: string, failures: readonly string[]): string {
  return `execution provider: ${what}${failures.length ? ` (${failures.join('; ')})` : ''}`;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n').find((l) => l.trim()) ?? text).trim().slice(0, 200);
}

/**
 * Creates an inference session on the first provider that works. A provider named explicitly that does not work is an
 * error; under `auto`, failures are collected into the note and the next provider is tried.
 */
export async function createSession(onnxPath: string, options: SessionOptions): Promise<SessionWithProvider> {
  const candidates = options.provider === 'auto' ? autoProviders() : [options.provider];
  const failures: string[] = [];
  for (const provider of candidates) {
    const missing = missingRuntime(provider);
    if (missing && options.provider !== 'auto') {
      throw new InfillError(
        'provider-unavailable',
        `The ${PROVIDER_LABELS[provider]} provider cannot run: ${missing}`,
        'Set infill.executionProvider (or --provider) to auto or cpu',
      );
    }
    if (missing) {
      failures.push(`${PROVIDER_LABELS[provider]} unavailable: ${missing}`);
      continue;
    }
    const bound = provider === 'cpu' && options.ioBinding !== false && cApiLoads(failures);
    try {
      if (bound) {
        const session = NativeSession.create(onnxPath, {
          threads: options.threads,
          spinWhileBusy: options.spinWhileBusy ?? false,
        });
        return {
          session,
          provider,
          providerNote: providerNote(`CPU, IO binding (onnxruntime ${NativeSession.runtimeVersion()})`, failures),
        };
      }
      const session = await ort.InferenceSession.create(onnxPath, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
        // No memory arena: intermediate buffers go back to the system after each run instead of staying reserved
        // at their largest (a 256-token prefill chunk of a 1B model needs about a hundred MB once, then never again).
        enableCpuMemArena: false,
        interOpNumThreads: 1,
        logSeverityLevel: 3,
        ...(options.threads > 0 ? { intraOpNumThreads: options.threads } : {}),
        extra: { session: { intra_op: { allow_spinning: options.spinWhileBusy ? '1' : '0' } } },
      });
      return { session, provider, providerNote: providerNote(PROVIDER_LABELS[provider], failures) };
    } catch (err) {
      const reason = firstLine(err);
      if (options.provider !== 'auto' || provider === 'cpu') {
        const fix =
          provider === 'cpu'
            ? 'The ONNX file may be damaged or of an unsupported opset: rebuild or download the model again'
            : `Set infill.executionProvider (or --provider) to auto or cpu, or install the ${PROVIDER_LABELS[provider]} runtime (see README: GPU acceleration)`;
        const code = provider === 'cpu' ? 'model-corrupt' : 'provider-unavailable';
        throw new InfillError(
          code,
          `Cannot load ${onnxPath} with the ${PROVIDER_LABELS[provider]} provider: ${reason}`,
          fix,
          { cause: err },
        );
      }
      failures.push(`${PROVIDER_LABELS[provider]} unavailable: ${reason}`);
    }
  }
  throw new InfillError('provider-unavailable', 'No execution provider could load the model', 'Use --provider cpu');
}
