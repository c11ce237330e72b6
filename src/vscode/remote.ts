import * as vscode from 'vscode';
import type { CompletionBackend } from '../core/completion/pipeline';
import { InfillError } from '../core/errors';
import { remoteChat, type ChatMessage, type RemoteChatOptions } from '../core/models/remoteChat';
import { remoteComplete } from '../core/models/remoteCompletion';
import type { RemoteConfig } from '../core/models/remoteHttp';
import type { GenerationReport } from '../protocol';

/** Where the API key lives in SecretStorage (never in settings). */
export const API_KEY_SECRET = 'infill.remote.apiKey';

export interface RemoteSettings {
  backend: 'local' | 'openai';
  baseUrl: string;
  model: string;
  fimMode: RemoteConfig['fimMode'];
  timeoutMs: number;
}

export function readRemoteSettings(): RemoteSettings {
  const c = vscode.workspace.getConfiguration('infill');
  return {
    backend: c.get<'local' | 'openai'>('backend', 'local'),
    baseUrl: c.get<string>('remote.baseUrl', '').trim(),
    model: c.get<string>('remote.model', '').trim(),
    fimMode: c.get<RemoteConfig['fimMode']>('remote.fimMode', 'suffix'),
    timeoutMs: c.get<number>('remote.timeoutMs', 30000),
  };
}

/**
 * The remote OpenAI-compatible backend as the extension uses it: settings and the API key (SecretStorage) turned into
 * a RemoteConfig, a completion backend for the inline pipeline, and a streaming chat function.
 */
export class RemoteBackend implements vscode.Disposable {
  private apiKey: string | undefined;
  private ready: Promise<void>;
  private readonly told = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage, private readonly log: vscode.LogOutputChannel) {
    this.ready = this.loadKey();
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === API_KEY_SECRET) this.ready = this.loadKey();
    });
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
    if (!s.baseUrl) throw new InfillError('bad-settings', 'infill.backend is openai but infill.remote.baseUrl is empty', 'Set infill.remote.baseUrl to the server, e.g. http://localhost:8000/v1');
    if (!s.model) throw new InfillError('bad-settings', 'infill.remote.model is empty', 'Set infill.remote.model to the model name the server serves');
    return { baseUrl: s.baseUrl, model: s.model, fimMode: s.fimMode, timeoutMs: s.timeoutMs, ...(this.apiKey ? { apiKey: this.apiKey } : {}) };
  }

  /** The inline pipeline's backend when the remote is on; undefined for the local engine. */
  completionBackend(): CompletionBackend | undefined {
    if (!this.enabled) return undefined;
    return async (params, signal) => {
      try {
        return await remoteComplete(await this.config(), params, signal);
      } catch (err) {
        this.tellOnce(err);
        throw err;
      }
    };
  }

  /** A streaming chat turn on the remote server (for the chat view when infill.backend is openai). */
  async chat(messages: readonly ChatMessage[], options: RemoteChatOptions): Promise<GenerationReport> {
    return remoteChat(await this.config(), messages, options);
  }

  /** Errors the user must fix (a key, a setting) are shown once per session; the rest only go to the log. */
  private tellOnce(err: unknown): void {
    if (!(err instanceof InfillError) || !['remote-auth', 'bad-settings'].includes(err.code) || this.told.has(err.message)) return;
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
      title: 'Infill: Remote API Key', password: true, ignoreFocusOut: true,
      prompt: 'The key of the OpenAI-compatible server in infill.remote.baseUrl (kept in VS Code\'s secret storage). Leave empty to remove it.',
    });
    if (key === undefined) return;
    if (key.trim()) await this.secrets.store(API_KEY_SECRET, key.trim());
    else await this.secrets.delete(API_KEY_SECRET);
    this.told.clear();
    this.log.info(`remote: API key ${key.trim() ? 'stored' : 'removed'}`);
    void vscode.window.showInformationMessage(`Infill: remote API key ${key.trim() ? 'saved' : 'removed'}.`);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
