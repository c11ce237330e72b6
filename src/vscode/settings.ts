import * as vscode from 'vscode';
import type { CompleteParams } from '../core/backend/types';
import {
  ENGINE_SETTINGS,
  SETTINGS,
  SETTINGS_SECTION,
  type ReadSetting,
  type SettingKey,
  type SettingValue,
} from './settingsRegistry';

// The one place the extension reads and writes its settings: each key's type and default come from the registry
// (settingsRegistry.ts), and every read is fresh, so changes apply live.

export { ENGINE_SETTINGS };

const configuration = () => vscode.workspace.getConfiguration(SETTINGS_SECTION);

/** A reader of the settings as they are now: one getConfiguration for several reads. */
export function settingsReader(): ReadSetting {
  const c = configuration();
  return (key) => c.get(key, SETTINGS[key].default);
}

/** One setting as it is now. */
export function setting<K extends SettingKey>(key: K): SettingValue<K> {
  return settingsReader()(key);
}

/** Writes a setting, in the user's settings unless `target` says otherwise. */
export async function updateSetting<K extends SettingKey>(
  key: K,
  value: SettingValue<K>,
  target = vscode.ConfigurationTarget.Global,
): Promise<void> {
  await configuration().update(key, value, target);
}

/** The settings the inline provider, docstrings and the engines read together, as one snapshot. */
export interface InfillSettings {
  modelPath: string;
  idleMinutes: number;
  inlineEnabled: boolean;
  inlineLanguages: Record<string, boolean>;
  debounceMs: number;
  skipWhenTextRightOfCursor: boolean;
  otherFilesChars: number;
  prefixTokens: number;
  maxLines: number;
  suffixTokens: number;
  maxTokens: number;
  fimOrder: CompleteParams['fimOrder'];
  fimFamily: CompleteParams['fimFamily'];
}

export function readSettings(): InfillSettings {
  const s = settingsReader();
  return {
    modelPath: s('model.path'),
    idleMinutes: s('engine.idleUnloadMinutes'),
    inlineEnabled: s('inline.enabled'),
    inlineLanguages: s('inline.languages'),
    debounceMs: s('inline.debounceMs'),
    skipWhenTextRightOfCursor: s('inline.skipWhenTextRightOfCursor'),
    otherFilesChars: s('inline.otherFilesChars'),
    prefixTokens: s('inline.prefixTokens'),
    maxLines: s('inline.maxLines'),
    suffixTokens: s('inline.suffixTokens'),
    maxTokens: s('inline.maxTokens'),
    fimOrder: s('fim.order'),
    fimFamily: s('fim.family'),
  };
}

/** Whether inline completions are on for a language: the language's entry, else "*", else on. */
export function inlineEnabledFor(settings: InfillSettings, languageId: string): boolean {
  if (!settings.inlineEnabled) return false;
  return settings.inlineLanguages[languageId] ?? settings.inlineLanguages['*'] ?? true;
}

/** The sandbox's limits for programs Infill runs (generated tests): `infill.sandbox.*`. */
export function readSandboxSettings(): { timeoutMs: number; memoryMb: number } {
  const s = settingsReader();
  return { timeoutMs: s('sandbox.timeoutMs'), memoryMb: s('sandbox.memoryMb') };
}
