// The remote OpenAI-compatible backend in a real extension host: with infill.backend = openai, ghost text comes from a
// loopback server that speaks /v1/completions (the only fake: a server we don't own), through the same pipeline.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';

describe('Infill with the remote backend (infill.backend = openai)', () => {
  let server: http.Server;
  const bodies: Record<string, unknown>[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => { data += c.toString(); });
      req.on('end', () => {
        bodies.push({ url: req.url, ...JSON.parse(data || '{}') as Record<string, unknown> });
        res.writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ choices: [{ index: 0, text: 'total += value', finish_reason: 'stop' }], usage: { prompt_tokens: 20, completion_tokens: 4 } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const c = vscode.workspace.getConfiguration('infill');
    await c.update('remote.baseUrl', `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, vscode.ConfigurationTarget.Global);
    await c.update('remote.model', 'codellama:7b-code', vscode.ConfigurationTarget.Global);
    await c.update('backend', 'openai', vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    const c = vscode.workspace.getConfiguration('infill');
    for (const key of ['backend', 'remote.baseUrl', 'remote.model']) await c.update(key, undefined, vscode.ConfigurationTarget.Global);
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('ghost text comes from the remote server; Tab inserts it', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'def add_all(values):\n    total = 0\n    for value in values:\n        \n    return total\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(3, 8, 3, 8);
    const before = doc.getText();
    const end = Date.now() + 30000;
    while (doc.getText() === before && Date.now() < end) {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await new Promise((r) => setTimeout(r, 500));
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    }
    assert.ok(doc.getText().includes('        total += value\n'), doc.getText());
    const request = bodies.find((b) => b['url'] === '/v1/completions');
    assert.ok(request, 'the server got a completion request');
    assert.equal(request['model'], 'codellama:7b-code');
    assert.match(String(request['prompt']), /for value in values:\n$/, 'the typed indentation is healed out of the prompt');
    assert.match(String(request['suffix']), /^\n {4}return total\n/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
