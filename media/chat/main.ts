// The chat panel's webview entry (bundled by esbuild into dist/webview/chat.js).
import '@vscode/codicons/dist/codicon.css';
import './chat.css';
import { isToWebview, type FromWebview } from '../../src/chatProtocol';
import { createMarkdown } from './markdown';
import { ChatView } from './view';

declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void };

const vscode = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) {
  const view = new ChatView(document, root, (m) => vscode.postMessage(m), createMarkdown(window));
  window.addEventListener('message', (e: MessageEvent<unknown>) => {
    if (isToWebview(e.data)) view.receive(e.data);
    else console.warn('Infill chat: dropped a malformed message', e.data);
  });
  vscode.postMessage({ type: 'ready' });
  view.input.focus();
}
