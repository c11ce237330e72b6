import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { isFromWebview, type ToWebview } from '../chatProtocol';
import type { ChatSession } from './chatSession';

/**
 * The chat panel: a webview view in Infill's activity-bar container. Its UI (media/chat, bundled into dist/webview)
 * runs under a strict Content-Security-Policy: no remote resources, scripts only with this page's nonce. Messages both
 * ways are the one type of src/chatProtocol.ts, checked on receipt.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'infill.chat';
  private view: vscode.WebviewView | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: ChatSession,
    private readonly log: vscode.LogOutputChannel,
  ) {
    session.post = (m) => this.post(m);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const assets = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [assets] };
    view.webview.html = this.html(view.webview, assets);
    this.subscriptions.push(
      view.webview.onDidReceiveMessage((m: unknown) => {
        if (!isFromWebview(m)) {
          this.log.warn(`chat: dropped a malformed message from the webview: ${JSON.stringify(m).slice(0, 200)}`);
          return;
        }
        this.session
          .handle(m)
          .catch((err: unknown) => this.log.error(`chat: ${err instanceof Error ? err.message : String(err)}`));
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    );
  }

  /** Shows the panel and puts the caret in the question box. */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
    this.post({ type: 'focus' });
  }

  private post(m: ToWebview): void {
    void this.view?.webview.postMessage(m);
  }

  private html(webview: vscode.Webview, assets: vscode.Uri): string {
    const nonce = crypto.randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(assets, 'chat.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(assets, 'chat.css'));
    const csp = [
      `default-src 'none'`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Infill Chat</title></head>
<body><main id="app" aria-label="Infill chat"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body></html>`;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
