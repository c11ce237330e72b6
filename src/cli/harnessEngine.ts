import * as fs from 'node:fs';
import * as path from 'node:path';
import { engineBackend } from '../core/backend/engineBackend';
import type { ModelBackend } from '../core/backend/types';
import type { Engine } from '../core/engine';
import { InfillError } from '../core/errors';
import { numberFlag } from './flags';
import { loadEngineFromFlags, type EngineFlags } from './loadEngine';

/** Flags shared by `infill tests` and `infill selfinstruct` (model and sandbox). */
export const ENGINE_OPTIONS = {
  model: { type: 'string' },
  variant: { type: 'string' },
  provider: { type: 'string' },
  threads: { type: 'string' },
  'io-binding': { type: 'string' },
  temperature: { type: 'string' },
  seed: { type: 'string' },
  'max-tokens': { type: 'string' },
  'timeout-ms': { type: 'string' },
  'memory-mb': { type: 'string' },
} as const;

/** Sandbox limits from --timeout-ms and --memory-mb (the sandbox's defaults when absent). */
export function sandboxLimits(values: { 'timeout-ms'?: string; 'memory-mb'?: string }): {
  timeoutMs?: number;
  memoryMb?: number;
} {
  return {
    timeoutMs: values['timeout-ms'] === undefined ? undefined : numberFlag('timeout-ms', values['timeout-ms'], 0, 100),
    memoryMb: values['memory-mb'] === undefined ? undefined : numberFlag('memory-mb', values['memory-mb'], 0, 16),
  };
}

/** Loads the model in this process, as the harness's backend. */
export async function loadHarnessEngine(
  values: EngineFlags,
): Promise<{ engine: Engine; backend: ModelBackend; notes: string[] }> {
  const notes: string[] = [];
  if (values.model && !fs.existsSync(path.join(values.model, 'config.json'))) {
    throw new InfillError(
      'model-not-found',
      `${values.model} is not a model folder (no config.json)`,
      'Give --model a Hugging Face ONNX export folder, or leave it out for the shipped model',
    );
  }
  const engine = await loadEngineFromFlags(values, notes);
  return { engine, backend: engineBackend(engine), notes };
}

/** Writes a file whole: a temporary name beside it, then a rename (or a link, which refuses an existing file). */
export function writeFileAtomic(file: string, text: string, overwrite: boolean): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.infill-tmp`);
  fs.writeFileSync(tmp, text);
  try {
    if (overwrite) {
      fs.renameSync(tmp, file);
    } else {
      fs.linkSync(tmp, file);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new InfillError(
        'bad-arguments',
        `${file} appeared while the tests were written; it was left as it is`,
        'Run again with --append or --force, or give --out another file',
      );
    }
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
