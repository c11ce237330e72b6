import * as vscode from 'vscode';
import type { ModelBackend } from '../core/backend/types';
import { InfillError } from '../core/errors';
import { remoteBackend } from '../core/remote/backend';
import { normalizeBaseUrl, type RemoteConfig } from '../core/remote/http';
import { RemoteActivity, type RemoteStatus } from './remoteActivity';
import { settingsReader } from './settings';

/** Where the API key lives in SecretStorage (never in settings). */
export const API_KEY_SECRET = 'infill.remote.apiKey';

export interface RemoteSettings {
  backend: 'local' | 'openai';
  baseUrl: string;
  model: string;
  fimMode: RemoteConfig['fimMode'];
  timeoutMs: number;
  /** The server model's context window in tokens, for chat's budget (the server's tokenizer is not here). */
  contextWindow: number;
}

export function readRemoteSettings(): RemoteSettings {
  const c = settingsReader();
  return {
    backend: c('backend'),
    baseUrl: c('remote.baseUrl').trim(),
    model: c('remote.model').trim(),
    fimMode: c('remote.fimMode'),
    timeoutMs: c('remote.timeoutMs'),
    contextWindow: c('remote.contextWindow'),
  };
}

/**
 * The remote OpenAI-compatible backend as the extension uses it: settings and the API key (SecretStorage) turned into
 * a RemoteConfig, and a ModelBackend on it.
 */
export class RemoteBackend implements vscode.Disposable {
  private apiKey: string | undefined;
  private ready: Promise<void>;
  private readonly told = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];
  /** Requests in flight and the last failure, for the status bar. */
  readonly activity = new RemoteActivity();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.ready = this.loadKey();
    this.subscriptions = [
      this.activity,
      secrets.onDidChange((e) => {
        if (e.key !== API_KEY_SECRET) return;
        this.ready = this.loadKey();
        this.activity.reset();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('infill.backend') || e.affectsConfiguration('infill.remote')) this.activity.reset();
      }),
    ];
  }

  private async loadKey(): Promise<void> {
    this.apiKey = (await this.secrets.get(API_KEY_SECRET)) || undefined;
  }

  /** True when infill.backend is `openai`. */
  get enabled(): boolean {
    return readRemoteSettings().backend === 'openai';
  }

  /** The connection as configured now; a settings error names what is missing. */
  async config(): Promise<RemoteConfig> {
    await this.ready;
    const s = readRemoteSettings();
    if (!s.baseUrl)
      throw new InfillError(
        'bad-settings',
        'infill.backend is openai but infill.remote.baseUrl is empty',
        'Set infill.remote.baseUrl to the server, e.g. http://localhost:8000/v1',
      );
    if (!s.model)
      throw new InfillError(
        'bad-settings',
        'infill.remote.model is empty',
        'Set infill.remote.model to the model name the server serves',
      );
    return {
      baseUrl: s.baseUrl,
      model: s.model,
      fimMode: s.fimMode,
      timeoutMs: s.timeoutMs,
      ...(this.apiKey ? { apiKey: this.apiKey } : {}),
    };
  }

  /**
   * The server as a ModelBackend (src/core/remote/backend.ts), its requests counted for the status bar. A completion
   * error the user must fix is shown once; chat and Generate Tests show their errors where they happen.
   */
  backend(): ModelBackend {
    const s = readRemoteSettings();
    const inner = remoteBackend(`${s.model || 'no model set'} (remote)`, () => this.config(), s.contextWindow);
    return {
      name: inner.name,
      info: () => inner.info(),
      countTokens: (input) => inner.countTokens(input),
      complete: (params, signal, onText) =>
        this.activity.track(async () => {
          try {
            return await inner.complete(params, signal, onText);
          } catch (err) {
            this.tellOnce(err);
            throw err;
          }
        }),
      generate: (params, signal, onText) => this.activity.track(() => inner.generate(params, signal, onText)),
      chat: (messages, params, signal, onText) =>
        this.activity.track(() => inner.chat(messages, params, signal, onText)),
    };
  }

  /** The remote backend's state for the status bar; undefined when infill.backend is local. */
  status(): RemoteStatus | undefined {
    const s = readRemoteSettings();
    if (s.backend !== 'openai') return undefined;
    let server: string | undefined;
    try {
      server = s.baseUrl ? new URL(normalizeBaseUrl(s.baseUrl)).origin : undefined;
    } catch {
      server = undefined;
    }
    const missing = !s.baseUrl
      ? 'infill.remote.baseUrl is empty'
      : !server
        ? `infill.remote.baseUrl "${s.baseUrl}" is not an http(s) URL`
        : !s.model
          ? 'infill.remote.model is empty'
          : undefined;
    const a = this.activity.state;
    return missing
      ? { ...a, state: 'error', model: s.model, server, detail: `${missing}: set it in Settings` }
      : { ...a, model: s.model, server };
  }

  /** Errors the user must fix (a key, a setting) are shown once per session; the rest only go to the log. */
  private tellOnce(err: unknown): void {
    if (
      !(err instanceof InfillError) ||
      !['remote-auth', 'bad-settings'].includes(err.code) ||
      this.told.has(err.message)
    )
      return;
    this.told.add(err.message);
    const action = err.code === 'remote-auth' ? 'Set API Key' : 'Open Settings';
    void vscode.window.showErrorMessage(`Infill: ${err.toLine()}`, action).then((picked) => {
      if (picked === 'Set API Key') void vscode.commands.executeCommand('infill.setRemoteApiKey');
      else if (picked) void vscode.commands.executeCommand('workbench.action.openSettings', 'infill.remote');
    });
  }

  /** `Infill: Set Remote API Key`: stored in SecretStorage; an empty answer removes it. */
  async setApiKey(): Promise<void> {
    const key = await vscode.window.showInputBox({
      title: 'Infill: Remote API Key',
      password: true,
      ignoreFocusOut: true,
      prompt:
        "The key of the OpenAI-compatible server in infill.remote.baseUrl (kept in VS Code's secret storage). Leave empty to remove it.",
    });
    if (key === undefined) return;
    if (key.trim()) await this.secrets.store(API_KEY_SECRET, key.trim());
    else await this.secrets.delete(API_KEY_SECRET);
    this.told.clear();
    this.log.info(`remote: API key ${key.trim() ? 'stored' : 'removed'}`);
    void vscode.window.showInformationMessage(`Infill: remote API key ${key.trim() ? 'saved' : 'removed'}.`);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
