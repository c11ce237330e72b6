import * as vscode from 'vscode';
import type { CompleteParams } from '../core/backend/types';
import type { LoadParams } from '../core/engine/summary';

/** Infill's settings (contributes.configuration in package.json), read fresh each time so changes apply live. */
export interface InfillSettings {
  modelPath: string;
  variant: LoadParams['variant'];
  provider: LoadParams['provider'];
  threads: number;
  ioBinding: boolean;
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
  const c = vscode.workspace.getConfiguration('infill');
  return {
    modelPath: c.get<string>('model.path', ''),
    variant: c.get<LoadParams['variant']>('model.variant', 'auto'),
    provider: c.get<LoadParams['provider']>('executionProvider', 'auto'),
    threads: c.get<number>('threads', 0),
    ioBinding: c.get<boolean>('engine.ioBinding', true),
    idleMinutes: c.get<number>('engine.idleUnloadMinutes', 15),
    inlineEnabled: c.get<boolean>('inline.enabled', true),
    inlineLanguages: c.get<Record<string, boolean>>('inline.languages', {}),
    debounceMs: c.get<number>('inline.debounceMs', 150),
    skipWhenTextRightOfCursor: c.get<boolean>('inline.skipWhenTextRightOfCursor', true),
    otherFilesChars: c.get<number>('inline.otherFilesChars', 1500),
    prefixTokens: c.get<number>('inline.prefixTokens', 1024),
    maxLines: c.get<number>('inline.maxLines', 8),
    suffixTokens: c.get<number>('inline.suffixTokens', 256),
    maxTokens: c.get<number>('inline.maxTokens', 64),
    fimOrder: c.get<CompleteParams['fimOrder']>('fim.order', 'auto'),
    fimFamily: c.get<CompleteParams['fimFamily']>('fim.family', 'auto'),
  };
}

/** Whether inline completions are on for a language: the language's entry, else "*", else on. */
export function inlineEnabledFor(settings: InfillSettings, languageId: string): boolean {
  if (!settings.inlineEnabled) return false;
  return settings.inlineLanguages[languageId] ?? settings.inlineLanguages['*'] ?? true;
}

/** Settings whose change needs a new engine (the model is loaded with them). */
export const ENGINE_SETTINGS = ['infill.model.path', 'infill.model.variant', 'infill.executionProvider', 'infill.threads', 'infill.engine.ioBinding'];

/** The sandbox's limits for programs Infill runs (generated tests): `infill.sandbox.*`. */
export function readSandboxSettings(): { timeoutMs: number; memoryMb: number } {
  const c = vscode.workspace.getConfiguration('infill');
  return { timeoutMs: c.get<number>('sandbox.timeoutMs', 10_000), memoryMb: c.get<number>('sandbox.memoryMb', 512) };
}
