import * as crypto from 'node:crypto';
import * as vscode from 'vscode';

/** The chat panel's view. The panel itself arrives with the chat issue; until then it says so. */
export class ChatViewProvider implements vscode.WebviewViewProvider {
  static readonly viewId = 'infill.chat';

  constructor(private readonly extensionUri: vscode.Uri) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    const nonce = crypto.randomBytes(16).toString('base64');
    view.webview.options = { enableScripts: false, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] };
    const csp = `default-src 'none'; style-src ${view.webview.cspSource} 'nonce-${nonce}'; img-src ${view.webview.cspSource};`;
    view.webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">
  body { color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 8px 12px; }
  h2 { font-size: 1.1em; font-weight: 600; }
  p { color: var(--vscode-descriptionForeground); line-height: 1.4; }
</style><title>Infill Chat</title></head>
<body><main aria-label="Infill chat">
  <h2>Infill Chat</h2>
  <p>Chat with a local model is not built yet in this version of Infill. Inline completions work now; chat comes in a coming update.</p>
</main></body></html>`;
  }
}
