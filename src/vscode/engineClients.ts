import type * as vscode from 'vscode';
import { EngineClient, type EngineStatus } from '../engine-client/client';
import { engineLoadParams } from './engineLoadParams';
import { readSettings, settingsReader } from './settings';

/**
 * An engine host client for a model folder, the one way the extension builds one (completion's engine, and chat's own
 * when infill.chat.model names another model). The settings are read at every load, so a restart after a settings
 * change loads with the new variant, provider, threads and IO binding.
 */
export function createEngineClient(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  modelDir: () => string,
  options: { logPrefix?: string; onStatus?: (status: EngineStatus) => void; selfCheck?: boolean } = {},
): EngineClient {
  const prefix = options.logPrefix ? `${options.logPrefix} ` : '';
  return new EngineClient({
    hostScript: context.asAbsolutePath('dist/engine-host.js'),
    loadParams: () => engineLoadParams(settingsReader(), modelDir(), options.selfCheck),
    idleMs: () => readSettings().idleMinutes * 60000,
    log: (level, line) => log[level](`${prefix}${line}`),
    ...(options.onStatus ? { onStatus: options.onStatus } : {}),
  });
}
