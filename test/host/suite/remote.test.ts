// The remote OpenAI-compatible backend in a real extension host: with infill.backend = openai, ghost text, docstrings
// and the chat panel's answers come from a loopback server that speaks /v1/completions and streaming
// /v1/chat/completions (the only fake: a server we don't own), and the status bar shows the remote.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ToWebview } from '../../../src/chatProtocol';
import type { GenerateDocstringOutcome } from '../../../src/vscode/docstring';
import type { InfillApi } from '../../../src/vscode/extension';
import { delta, FakeOpenAIServer, sse } from '../../helpers/fakeOpenAI';

async function api(): Promise<InfillApi> {
  const ext = vscode.extensions.getExtension<InfillApi>('infill.infill');
  assert.ok(ext, 'the extension is installed');
  return ext.isActive ? ext.exports : ext.activate();
}

const until = async (what: string, cond: () => boolean, ms = 15000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** The status bar's tooltip as plain text (Markdown escapes its spaces and brackets). */
const plain = (markdown: string) => markdown.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');

const completionAnswer = (text: string) =>
  JSON.stringify({
    choices: [{ index: 0, text, finish_reason: 'stop' }],
    usage: { prompt_tokens: 20, completion_tokens: 4 },
  });

describe('Infill with the remote backend (infill.backend = openai)', () => {
  const server = new FakeOpenAIServer();
  const config = () => vscode.workspace.getConfiguration('infill');

  before(async () => {
    await server.start();
    await config().update('remote.baseUrl', `${server.base}/v1`, vscode.ConfigurationTarget.Global);
    await config().update('remote.model', 'codellama:7b-code', vscode.ConfigurationTarget.Global);
    await config().update('backend', 'openai', vscode.ConfigurationTarget.Global);
  });
  beforeEach(() => server.reset());

  after(async () => {
    for (const key of ['backend', 'remote.baseUrl', 'remote.model'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await server.stop();
  });

  it('ghost text comes from the remote server; Tab inserts it', async () => {
    server.handler = (_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(completionAnswer('total += value'));
    };
    const doc = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'def add_all(values):\n    total = 0\n    for value in values:\n        \n    return total\n',
    });
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
    const request = server.seen.find((s) => s.url === '/v1/completions')?.body;
    assert.ok(request, 'the server got a completion request');
    assert.equal(request['model'], 'codellama:7b-code');
    assert.match(
      String(request['prompt']),
      /for value in values:\n$/,
      'the typed indentation is healed out of the prompt',
    );
    assert.match(String(request['suffix']), /^\n {4}return total\n/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it("Generate Docstring asks the remote server's FIM completion", async () => {
    server.handler = (_req, _body, res) => {
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(completionAnswer('Return the length of the hypotenuse of a right triangle.\n    """\n    return 0\n'));
    };
    const folder =
      vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? fs.mkdtempSync(path.join(os.tmpdir(), 'infill-remote-'));
    const file = path.join(folder, 'remote_docstring.py');
    fs.writeFileSync(file, 'import math\n\n\ndef hypot(a, b):\n    return math.sqrt(a * a + b * b)\n');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)));
    const outcome = await vscode.commands.executeCommand<GenerateDocstringOutcome>('infill.generateDocstring', {
      uri: editor.document.uri.toString(),
      line: 3,
    });
    assert.equal(outcome.status, 'inserted', JSON.stringify(outcome));
    assert.match(
      editor.document.getText(),
      /^def hypot\(a, b\):\n {4}"""Return the length of the hypotenuse of a right triangle\.[\s\S]*"""\n {4}return math\.sqrt/m,
    );
    const request = server.seen.find((s) => s.url === '/v1/completions')?.body;
    assert.ok(request, 'the server got the docstring request');
    assert.match(
      String(request['prompt']),
      /def hypot\(a, b\):\n {4}"""$/,
      'the prefix ends where the docstring opens',
    );
    assert.equal(request['model'], 'codellama:7b-code');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('the chat panel answers from the remote server, streamed to the webview', async () => {
    const infill = await api();
    const chat = infill.chat;
    await chat.newChat();
    server.handler = (_req, _body, res) => sse(res, [delta('Use '), delta('`sum(values)`'), delta('.', 'stop')], 20);
    const posted: ToWebview[] = [];
    const post = chat.post;
    chat.post = (m) => {
      posted.push(m);
      post(m);
    };
    try {
      await chat.send('How do I add up a list?');
    } finally {
      chat.post = post;
    }
    const [question, answer] = chat.messages;
    assert.equal(question?.text, 'How do I add up a list?');
    assert.equal(answer?.role, 'assistant');
    assert.equal(answer.error, undefined);
    assert.equal(answer.text, 'Use `sum(values)`.');
    // The server sent no usage: the note gives the time, and no token count is made up.
    assert.match(answer.note ?? '', /^\d+ ms$/);
    assert.deepEqual(
      posted.filter((m) => m.type === 'delta').map((m) => m.type === 'delta' && m.text),
      ['Use ', '`sum(values)`', '.'],
      'each delta went to the webview',
    );
    assert.equal(server.seen.length, 1);
    assert.equal(server.seen[0]!.url, '/v1/chat/completions');
    const body = server.seen[0]!.body;
    assert.equal(body['model'], 'codellama:7b-code');
    assert.equal(body['stream'], true);
    const messages = body['messages'] as { role: string; content: string }[];
    assert.deepEqual(
      messages.map((m) => m.role),
      ['system', 'user'],
    );
    assert.equal(messages[1]!.content, 'How do I add up a list?');
    const init = chat.initMessage();
    assert.ok(
      init.type === 'init' && init.model === 'codellama:7b-code (remote)',
      "the panel's header names the remote model",
    );
  });

  it('Stop in the chat panel ends a remote answer mid-stream and keeps its text; the server sees the request closed', async () => {
    const chat = (await api()).chat;
    await chat.newChat();
    server.handler = (_req, _body, res) =>
      sse(
        res,
        Array.from({ length: 200 }, (_, i) => delta(`w${i} `)),
        30,
        'hang',
      );
    const sending = chat.send('Count to 200.');
    await until(
      'the first words of the answer',
      () => chat.messages.at(-1)?.role === 'assistant' && (chat.messages.at(-1)?.text.length ?? 0) > 6,
    );
    await chat.handle({ type: 'stop' });
    await sending;
    const answer = chat.messages.at(-1)!;
    assert.equal(answer.error, undefined);
    assert.match(answer.note ?? '', /^Stopped/);
    assert.match(answer.text, /^w0 w1 w2/);
    assert.ok(!answer.text.includes('w199'), 'the answer was cut, not finished');
    await until('the server to see the connection close', () => server.closed === 1, 5000);
    assert.equal(chat.busy, false);
  });

  it('a remote error shows on the answer and in the status bar; the status bar follows infill.backend', async () => {
    const infill = await api();
    const chat = infill.chat;
    assert.match(infill.statusBar().text, /Infill: remote codellama:7b-code/);
    await chat.newChat();
    server.handler = (_req, _body, res) => {
      res
        .writeHead(401, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'Invalid API key' } }));
    };
    await chat.send('Hello?');
    const answer = chat.messages.at(-1)!;
    assert.equal(answer.role, 'assistant');
    assert.match(
      answer.error ?? '',
      /refused the request without an API key \(HTTP 401: Invalid API key\).*Set Remote API Key/,
    );
    assert.match(infill.statusBar().text, /^\$\(error\) Infill: remote codellama:7b-code · error/);
    assert.match(plain(infill.statusBar().tooltip), /HTTP 401: Invalid API key/);

    await config().update('backend', 'local', vscode.ConfigurationTarget.Global);
    await until('the local engine in the status bar', () => !infill.statusBar().text.includes('remote'));
    assert.ok(!plain(infill.statusBar().tooltip).includes('remote backend'));
    await config().update('remote.baseUrl', '', vscode.ConfigurationTarget.Global);
    await config().update('backend', 'openai', vscode.ConfigurationTarget.Global);
    await until('the missing URL in the status bar', () =>
      /Infill: remote codellama:7b-code · error/.test(infill.statusBar().text),
    );
    assert.match(plain(infill.statusBar().tooltip), /infill\.remote\.baseUrl is empty/);
    await config().update('remote.baseUrl', `${server.base}/v1`, vscode.ConfigurationTarget.Global);
    await until('the remote, ready again', () =>
      /^\$\(cloud\) Infill: remote codellama:7b-code/.test(infill.statusBar().text),
    );
  });
});
