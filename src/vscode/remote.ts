import * as vscode from 'vscode';
import type { MessageChatBackend } from '../core/chat/types';
import type { CompletionBackend } from '../core/completion/pipeline';
import { InfillError } from '../core/errors';
import { remoteChat, remoteChatBackend, type ChatMessage, type RemoteChatOptions } from '../core/remote/chat';
import { remoteComplete } from '../core/remote/completion';
import { normalizeBaseUrl, type RemoteConfig } from '../core/remote/http';
import type { GenerationReport } from '../protocol';
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
 * a RemoteConfig, a completion backend for the inline pipeline, and a streaming chat function.
 */
export class RemoteBackend implements vscode.Disposable {
  private apiKey: string | undefined;
  private ready: Promise<void>;
  private readonly told = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];
  /** Requests in flight and the last failure, for the status bar. */
  readonly activity = new RemoteActivity();

  constructor(private readonly secrets: vscode.SecretStorage, private readonly log: vscode.LogOutputChannel) {
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
    if (!s.baseUrl) throw new InfillError('bad-settings', 'infill.backend is openai but infill.remote.baseUrl is empty', 'Set infill.remote.baseUrl to the server, e.g. http://localhost:8000/v1');
    if (!s.model) throw new InfillError('bad-settings', 'infill.remote.model is empty', 'Set infill.remote.model to the model name the server serves');
    return { baseUrl: s.baseUrl, model: s.model, fimMode: s.fimMode, timeoutMs: s.timeoutMs, ...(this.apiKey ? { apiKey: this.apiKey } : {}) };
  }

  /** The inline pipeline's backend when the remote is on; undefined for the local engine. */
  completionBackend(): CompletionBackend | undefined {
    if (!this.enabled) return undefined;
    return (params, signal) => this.activity.track(async () => {
      try {
        return await remoteComplete(await this.config(), params, signal);
      } catch (err) {
        this.tellOnce(err);
        throw err;
      }
    });
  }

  /** A streaming chat turn on the remote server. */
  async chat(messages: readonly ChatMessage[], options: RemoteChatOptions): Promise<GenerationReport> {
    return this.activity.track(async () => remoteChat(await this.config(), messages, options));
  }

  /**
   * The chat panel's backend when the remote is on: the messages go to /v1/chat/completions (the server applies its
   * template), budgeted against infill.remote.contextWindow. Errors show on the answer in the panel.
   */
  chatBackend(): MessageChatBackend {
    const s = readRemoteSettings();
    const backend = remoteChatBackend(`${s.model || 'no model set'} (remote)`, () => this.config(), s.contextWindow);
    return { ...backend, chat: (messages, params, signal, onText) => this.activity.track(() => backend.chat(messages, params, signal, onText)) };
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
    const missing = !s.baseUrl ? 'infill.remote.baseUrl is empty' : !server ? `infill.remote.baseUrl "${s.baseUrl}" is not an http(s) URL`
      : !s.model ? 'infill.remote.model is empty' : undefined;
    const a = this.activity.state;
    return missing ? { ...a, state: 'error', model: s.model, server, detail: `${missing}: set it in Settings` } : { ...a, model: s.model, server };
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
    for (const s of this.subscriptions) s.dispose();
  }
}
