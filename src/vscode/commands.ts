import * as vscode from 'vscode';
import type { EngineClient } from '../engine-client/client';

export async function toggleInline(): Promise<void> {
  const config = vscode.workspace.getConfiguration('infill');
  const next = !config.get<boolean>('inline.enabled', true);
  await config.update('inline.enabled', next, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(`Infill: inline completions ${next ? 'on' : 'off'}`);
}

/** The status bar's menu: every Infill action in one quick pick. */
export async function showActions(client: EngineClient): Promise<void> {
  const status = client.current;
  const items: (vscode.QuickPickItem & { command: string })[] = [
    { label: '$(sparkle) Toggle Inline Completions', command: 'infill.toggleInline' },
    { label: '$(book) Generate Docstring', command: 'infill.generateDocstring' },
    { label: '$(beaker) Generate Tests', command: 'infill.generateTests' },
    { label: '$(comment-discussion) Open Chat', command: 'infill.openChat' },
    { label: '$(server-process) Select Model', command: 'infill.selectModel', description: status.model?.name },
    { label: '$(output) Show Logs', command: 'infill.showLogs' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Infill: ${status.state}`, placeHolder: 'Infill actions' });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
