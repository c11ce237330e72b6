import * as vscode from 'vscode';
import type { EngineClient } from '../engine-client/client';
import { createEngineClient } from './engineClients';
import { clientChatBackend } from '../engine-client/chatBackend';
import type { ChatBackend } from '../core/chat/types';
import { ChatEngines } from './chatModel';
import { ChatSession } from './chatSession';
import { ChatViewProvider } from './chatView';
import type { RemoteBackend } from './remote';
import { ENGINE_SETTINGS } from './settings';

/**
 * Registers the chat panel, its backend (the remote server when infill.backend is openai, else an engine: shared with
 * completion, or its own for infill.chat.model), and the commands Open Chat and Ask About Selection. Everything it
 * creates is disposed with the extension.
 */
export function registerChat(context: vscode.ExtensionContext, client: EngineClient, log: vscode.LogOutputChannel, shippedModel: string, remote: RemoteBackend): ChatSession {
  const engines = new ChatEngines(client, shippedModel, (modelDir) => createEngineClient(context, log, modelDir, { logPrefix: 'chat' }));
  // Each question goes to the backend the settings name at that moment: the remote server, or the engine chat uses now.
  const backend = (): ChatBackend => (remote.enabled ? remote.chatBackend() : clientChatBackend(engines.current()));
  const session = new ChatSession(context.workspaceState, backend, log);
  const provider = new ChatViewProvider(context.extensionUri, session, log);
  context.subscriptions.push(
    engines, session, provider,
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
      if (['infill.backend', 'infill.remote.model', 'infill.chat.model', 'infill.model.path'].some((s) => e.affectsConfiguration(s))) session.modelChanged();
    }),
  );
  return session;
}
