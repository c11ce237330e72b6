import type { LoadParams } from '../core/engine/summary';
import type { ReadSetting } from './settingsRegistry';

/**
 * What an engine is loaded with: its model folder and these settings, read at every load. Each setting read here is
 * restartsEngine in the registry (test/unit/settingsRegistry.test.ts checks), so a change reloads with the new value.
 * vscode-free.
 */
export function engineLoadParams(read: ReadSetting, modelDir: string, selfCheck = false): LoadParams {
  return {
    modelDir,
    selfCheck,
    variant: read('model.variant'),
    provider: read('executionProvider'),
    threads: read('threads'),
    ioBinding: read('engine.ioBinding'),
  };
}
