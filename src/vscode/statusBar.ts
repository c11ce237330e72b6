import * as vscode from 'vscode';
import type { EngineStatus } from '../engine-client/client';

const PROVIDERS: Record<string, string> = { cpu: 'CPU', cuda: 'CUDA', dml: 'DirectML' };
const ICONS: Record<EngineStatus['state'], string> = {
  stopped: '$(circle-outline)', starting: '$(loading~spin)', loading: '$(loading~spin)', ready: '$(sparkle)',
  generating: '$(loading~spin)', error: '$(error)', restarting: '$(debug-restart)',
};

/** Model, provider, state and last speed; a click opens Infill's actions. */
export class InfillStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('infill.status', vscode.StatusBarAlignment.Right, 100);

  constructor(private readonly inlineOn: () => boolean, private readonly inlineStats: () => { shown: number; accepted: number } | undefined) {
    this.item.name = 'Infill';
    this.item.command = 'infill.showActions';
    this.update({ state: 'stopped', model: undefined, lastTokensPerSecond: undefined, detail: undefined });
    this.item.show();
  }

  update(status: EngineStatus): void {
    const model = status.model ? `${status.model.name.split('/').pop()} · ${PROVIDERS[status.model.provider] ?? status.model.provider}` : 'Infill';
    const speed = status.lastTokensPerSecond ? ` · ${Math.round(status.lastTokensPerSecond)} tok/s` : '';
    const off = this.inlineOn() ? '' : ' (inline off)';
    this.item.text = `${ICONS[status.state]} ${model}${status.state === 'ready' ? speed : ` · ${status.state}`}${off}`;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**Infill**: ${status.state}${status.detail ? ` (${status.detail})` : ''}\n\n`);
    if (status.model) tip.appendMarkdown(`Model: ${status.model.name} (${status.model.variant})\n\n${status.model.providerNote}\n\n`);
    const stats = this.inlineStats();
    if (stats?.shown) tip.appendMarkdown(`Inline: ${stats.accepted} accepted of ${stats.shown} shown this session (counted locally, never sent)\n\n`);
    tip.appendMarkdown('Click for Infill actions');
    this.item.tooltip = tip;
    this.item.backgroundColor = status.state === 'error' || status.state === 'restarting'
      ? new vscode.ThemeColor(status.state === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground')
      : undefined;
    this.item.accessibilityInformation = { label: `Infill ${status.state}${status.model ? `, model ${status.model.name}` : ''}` };
  }

  dispose(): void {
    this.item.dispose();
  }
}
