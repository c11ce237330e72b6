import { Engine, MODEL_VARIANTS, type ExecutionProviderSetting, type ModelVariantSetting } from '../core/engine';
import { shippedModelDir } from '../core/shippedModel';
import { numberFlag, oneOf } from './flags';

/** The model flags every CLI command that runs the engine takes. */
export interface EngineFlags {
  model?: string;
  variant?: string;
  provider?: string;
  threads?: string;
  'io-binding'?: string;
}

/**
 * Loads the engine in this process from --model (the shipped model when absent), --variant, --provider, --threads and --io-binding;
 * the engine's load notes (variant, provider, KV layout) are appended to `notes`.
 */
export function loadEngineFromFlags(values: EngineFlags, notes: string[]): Promise<Engine> {
  return Engine.load({
    modelDir: values.model ?? shippedModelDir(),
    variant: oneOf<ModelVariantSetting>('variant', values.variant, ['auto', ...MODEL_VARIANTS], 'auto'),
    provider: oneOf<ExecutionProviderSetting>('provider', values.provider, ['auto', 'cpu', 'cuda', 'dml'], 'auto'),
    threads: numberFlag('threads', values.threads, 0, 0),
    ioBinding: oneOf('io-binding', values['io-binding'], ['on', 'off'], 'on') === 'on',
    log: (line) => notes.push(line),
  });
}
