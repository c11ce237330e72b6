import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine, type EngineOptions } from '../../src/core/engine';
import { shippedModelDir } from '../../src/core/shippedModel';

export const SHIPPED_MODEL = shippedModelDir(__dirname);
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const engines = new Map<string, Promise<Engine>>();

/** One engine per option set for the whole test run (loading takes a moment); disposed in the root after-hook. */
export function sharedEngine(options: Partial<EngineOptions> = {}): Promise<Engine> {
  const key = JSON.stringify(options);
  let engine = engines.get(key);
  if (!engine) {
    engine = Engine.load({ modelDir: SHIPPED_MODEL, provider: 'cpu', threads: 2, ...options });
    engines.set(key, engine);
  }
  return engine;
}

export async function disposeSharedEngines(): Promise<void> {
  for (const e of engines.values()) await (await e).dispose();
  engines.clear();
}

/** A scratch copy of the shipped model folder (hard-linked ONNX files), to damage or edit in a test. */
export function copyModel(edit?: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infill-model-'));
  fs.cpSync(SHIPPED_MODEL, dir, { recursive: true });
  edit?.(dir);
  return dir;
}

export function tmpDir(prefix = 'infill-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
