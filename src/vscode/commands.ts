import * as vscode from 'vscode';
import type { EngineClient } from '../engine-client/client';
import { setting, updateSetting } from './settings';

export async function toggleInline(): Promise<void> {
  const next = !setting('inline.enabled');
  await updateSetting('inline.enabled', next);
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
  const picked = await vscode.window.showQuickPick(items, {
    title: `Infill: ${status.state}`,
    placeHolder: 'Infill actions',
  });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
