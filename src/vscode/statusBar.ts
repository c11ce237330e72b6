import * as vscode from 'vscode';
import type { EngineStatus } from '../engine-client/client';
import type { RemoteStatus } from './remoteActivity';

const PROVIDERS: Record<string, string> = { cpu: 'CPU', cuda: 'CUDA', dml: 'DirectML' };
const ICONS: Record<EngineStatus['state'], string> = {
  stopped: '$(circle-outline)',
  starting: '$(loading~spin)',
  loading: '$(loading~spin)',
  ready: '$(sparkle)',
  generating: '$(loading~spin)',
  error: '$(error)',
  restarting: '$(debug-restart)',
};

const REMOTE_ICONS: Record<RemoteStatus['state'], string> = {
  ready: '$(cloud)',
  generating: '$(loading~spin)',
  error: '$(error)',
};

/**
 * Model, provider, state and last speed; a click opens Infill's actions. With infill.backend = openai it shows the
 * remote server's model and state instead, and the local engine's again when the setting goes back.
 */
export class InfillStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('infill.status', vscode.StatusBarAlignment.Right, 100);
  private engine: EngineStatus = {
    state: 'stopped',
    model: undefined,
    lastTokensPerSecond: undefined,
    detail: undefined,
  };

  constructor(
    private readonly inlineOn: () => boolean,
    private readonly inlineStats: () => { shown: number; accepted: number } | undefined,
    private readonly remote: () => RemoteStatus | undefined = () => undefined,
  ) {
    this.item.name = 'Infill';
    this.item.command = 'infill.showActions';
    this.refresh();
    this.item.show();
  }

  /** The text and tooltip shown now (for tests). */
  get shown(): { text: string; tooltip: string } {
    const tip = this.item.tooltip;
    return { text: this.item.text, tooltip: typeof tip === 'string' ? tip : (tip?.value ?? '') };
  }

  /** The local engine's status changed. */
  update(status: EngineStatus): void {
    this.engine = status;
    this.refresh();
  }

  /** Shows the current state: the remote backend's when it is on, else the engine's. */
  refresh(): void {
    const remote = this.remote();
    if (remote) this.showRemote(remote);
    else this.showEngine(this.engine);
  }

  private showRemote(r: RemoteStatus): void {
    const speed = r.state === 'ready' && r.lastTokensPerSecond ? ` · ${Math.round(r.lastTokensPerSecond)} tok/s` : '';
    const off = this.inlineOn() ? '' : ' (inline off)';
    this.item.text = `${REMOTE_ICONS[r.state]} Infill: remote ${r.model || '(no model)'}${r.state === 'ready' ? speed : ` · ${r.state}`}${off}`;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendText(`Infill: remote backend (infill.backend = openai), ${r.state}${r.detail ? `: ${r.detail}` : ''}`);
    tip.appendMarkdown('\n\n');
    tip.appendText(
      `Server: ${r.server ?? '(not set)'} · model: ${r.model || '(not set)'}. Your code is sent to this server.`,
    );
    const stats = this.inlineStats();
    if (stats?.shown)
      tip.appendMarkdown(
        `\n\nInline: ${stats.accepted} accepted of ${stats.shown} shown this session (counted locally, never sent)`,
      );
    tip.appendMarkdown('\n\nClick for Infill actions');
    this.item.tooltip = tip;
    this.item.backgroundColor =
      r.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.accessibilityInformation = { label: `Infill remote ${r.state}, model ${r.model || 'not set'}` };
  }

  private showEngine(status: EngineStatus): void {
    const model = status.model
      ? `${status.model.name.split('/').pop()} · ${PROVIDERS[status.model.provider] ?? status.model.provider}`
      : 'Infill';
    const speed = status.lastTokensPerSecond ? ` · ${Math.round(status.lastTokensPerSecond)} tok/s` : '';
    const off = this.inlineOn() ? '' : ' (inline off)';
    const check = status.model?.selfCheck;
    const failed = check !== undefined && !check.ok;
    const icon = failed && status.state === 'ready' ? '$(warning)' : ICONS[status.state];
    this.item.text = `${icon} ${model}${status.state === 'ready' ? speed : ` · ${status.state}`}${off}`;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**Infill**: ${status.state}${status.detail ? ` (${status.detail})` : ''}\n\n`);
    if (status.model)
      tip.appendMarkdown(`Model: ${status.model.name} (${status.model.variant})\n\n${status.model.providerNote}\n\n`);
    if (failed) {
      tip.appendMarkdown('$(warning) ');
      tip.appendText(`FIM self-check: ${check.problems.join('; ')}. ${check.advice ?? ''}`);
      tip.appendMarkdown('\n\n');
    }
    const stats = this.inlineStats();
    if (stats?.shown)
      tip.appendMarkdown(
        `Inline: ${stats.accepted} accepted of ${stats.shown} shown this session (counted locally, never sent)\n\n`,
      );
    tip.appendMarkdown('Click for Infill actions');
    this.item.tooltip = tip;
    this.item.backgroundColor =
      status.state === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : status.state === 'restarting' || failed
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.accessibilityInformation = {
      label: `Infill ${status.state}${status.model ? `, model ${status.model.name}` : ''}${failed ? ', self-check warning' : ''}`,
    };
  }

  dispose(): void {
    this.item.dispose();
  }
}
