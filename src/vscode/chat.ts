import * as vscode from 'vscode';
import type { Backends } from './backends';
import type { ChatEngines } from './chatModel';
import { ChatSession } from './chatSession';
import { ChatViewProvider } from './chatView';
import { ENGINE_SETTINGS } from './settings';

/**
 * Registers the chat panel on its backend (Backends.chat: the remote server, or the engine chat uses now) and the
 * commands Open Chat and Ask About Selection. Everything it creates is disposed with the extension.
 */
export function registerChat(
  context: vscode.ExtensionContext,
  backends: Backends,
  engines: ChatEngines,
  log: vscode.LogOutputChannel,
): ChatSession {
  const session = new ChatSession(context.workspaceState, () => backends.chat(), log);
  const provider = new ChatViewProvider(context.extensionUri, session, log);
  context.subscriptions.push(
    session,
    provider,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, provider),
    vscode.commands.registerCommand('infill.openChat', () => provider.reveal()),
    vscode.commands.registerCommand('infill.askAboutSelection', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.selection.isEmpty) {
        void vscode.window.showInformationMessage('Infill: select some code first, then Ask About Selection.');
        return;
      }
      session.addChip('selection', editor);
      await provider.reveal();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (ENGINE_SETTINGS.some((s) => e.affectsConfiguration(s))) engines.restart('settings changed');
      if (
        ['infill.backend', 'infill.remote.model', 'infill.chat.model', 'infill.model.path'].some((s) =>
          e.affectsConfiguration(s),
        )
      )
        session.modelChanged();
    }),
  );
  return session;
}
