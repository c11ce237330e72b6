import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { completeAt } from '../../src/core/completion/pipeline';
import { InfillError } from '../../src/core/errors';
import { FIM_FAMILIES, fimFamily } from '../../src/core/fim';
import { remoteChat } from '../../src/core/models/remoteChat';
import { remoteCompletionBackend } from '../../src/core/models/remoteCompletion';
import { TEXT_FIM_FORMATS } from '../../src/core/models/remoteFimText';
import type { RemoteConfig } from '../../src/core/models/remoteHttp';
import { tokenizerWithSpecialTokens } from '../helpers/tokenizers';

/** A loopback OpenAI-compatible server: each test sets how it answers. */
type Handler = (req: http.IncomingMessage, body: Record<string, unknown>, res: http.ServerResponse) => void;

const SOURCE = 'def total(xs):\n    t = 0\n    for x in xs:\n        \n    return t\n';
const CURSOR = SOURCE.indexOf('        \n') + 8;

function sse(res: http.ServerResponse, events: unknown[], delayMs: number, end: 'done' | 'cut' | 'hang' = 'done'): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  let i = 0;
  const next = () => {
    if (res.destroyed) return;
    if (i < events.length) {
      res.write(`data: ${JSON.stringify(events[i++])}\n\n`);
      setTimeout(next, delayMs);
    } else if (end === 'done') {
      res.end('data: [DONE]\n\n');
    } else if (end === 'cut') {
      res.socket?.destroy();
    }
  };
  next();
}

const delta = (content: string, finish: string | null = null) => ({ choices: [{ index: 0, delta: { content }, finish_reason: finish }] });

async function rejectsWith(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof InfillError, `expected an InfillError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    return;
  }
  assert.fail('expected a rejection');
}

describe('remote OpenAI-compatible backend (a loopback server)', function () {
  this.timeout(30000);
  let server: http.Server;
  let handler: Handler;
  let seen: { url: string; auth?: string; body: Record<string, unknown> }[];
  let closed: number;
  let base: string;
  const config = (extra: Partial<RemoteConfig> = {}): RemoteConfig => ({ baseUrl: base, model: 'Qwen/Qwen2.5-Coder-1.5B', fimMode: 'suffix', timeoutMs: 5000, ...extra });

  before(async () => {
    server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => { data += c.toString(); });
      req.on('end', () => {
        const body = JSON.parse(data || '{}') as Record<string, unknown>;
        seen.push({ url: req.url ?? '', auth: req.headers.authorization, body });
        res.on('close', () => { if (!res.writableFinished) closed++; });
        handler(req, body, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`; // no /v1: the client adds it
  });
  beforeEach(() => { seen = []; closed = 0; });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const site = { document: 'total.py', path: 'total.py', text: SOURCE, offset: CURSOR, insertSpaces: true, tabSize: 4 };
  const settings = { maxNewTokens: 32, fimOrder: 'auto' as const, fimFamily: 'auto' as const, kind: 'inline' };

  it('suffix mode: /v1/completions with prompt and suffix; the answer goes through the same post-processing', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({
        choices: [{ index: 0, text: 't += x\n        print(t)\n    return t\n', finish_reason: 'stop' }], usage: { prompt_tokens: 31, completion_tokens: 12 },
      }));
    };
    const r = await completeAt(remoteCompletionBackend(config({ apiKey: 'sk-test' })), site, settings);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.url, '/v1/completions');
    assert.equal(seen[0]!.auth, 'Bearer sk-test');
    const body = seen[0]!.body;
    assert.equal(body['model'], 'Qwen/Qwen2.5-Coder-1.5B');
    assert.equal(body['prompt'], SOURCE.slice(0, CURSOR - 8), 'the indentation typed on the empty line is healed, as the engine does');
    assert.equal(body['suffix'], SOURCE.slice(CURSOR));
    assert.equal(body['max_tokens'], 32);
    assert.equal(body['stream'], false);
    assert.deepEqual(body['stop'], r.multiline ? ['\n\n\n'] : ['\n'], 'the pipeline\'s stop strings travel to the server');
    assert.equal(r.report?.promptTokens, 31);
    assert.equal(r.report?.generatedTokens, 12);
    assert.equal(r.report?.fimFormat, 'remote suffix field');
    assert.equal(r.raw, 't += x\n        print(t)\n    return t\n');
    assert.equal(r.completion.split('\n')[0], 't += x', 'post-processing kept the first line');
    assert.ok(!r.completion.includes('return t'), 'the line that repeats the code below is dropped');
  });

  it('raw mode: a FIM prompt in the model family\'s format; special tokens in the answer are cut', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ choices: [{ text: 't += x<|endoftext|>junk', finish_reason: 'stop' }] }));
    };
    const r = await completeAt(remoteCompletionBackend(config({ fimMode: 'raw' })), site, settings);
    const body = seen[0]!.body;
    assert.equal(body['suffix'], undefined);
    assert.equal(body['prompt'], `<|fim_prefix|>${SOURCE.slice(0, CURSOR - 8)}<|fim_suffix|>${SOURCE.slice(CURSOR)}<|fim_middle|>`);
    assert.ok((body['stop'] as string[]).includes('<|endoftext|>'));
    assert.equal(r.report?.fimFormat, 'remote qwen (raw)');
    assert.equal(r.raw, 't += x');
    assert.equal(r.report?.stopReason, 'stop-string');
  });

  it('raw mode with a model name that names no family: a settings error', async () => {
    handler = () => assert.fail('no request expected');
    await rejectsWith(completeAt(remoteCompletionBackend(config({ fimMode: 'raw', model: 'my-model' })), site, settings), 'bad-settings', /FIM format.*my-model/);
    assert.equal(seen.length, 0);
  });

  it('HTTP 401: an error about the API key; HTTP 500: the server\'s message', async () => {
    handler = (_req, _body, res) => { res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: 'Invalid API key' } })); };
    await rejectsWith(completeAt(remoteCompletionBackend(config({ apiKey: 'wrong' })), site, settings), 'remote-auth', /refused the API key \(HTTP 401: Invalid API key\)/);
    await rejectsWith(remoteChat(config(), [{ role: 'user', content: 'hi' }]), 'remote-auth', /without an API key/);
    handler = (_req, _body, res) => { res.writeHead(500).end('CUDA out of memory'); };
    await rejectsWith(completeAt(remoteCompletionBackend(config()), site, settings), 'remote-failed', /failed \(HTTP 500: CUDA out of memory\)/);
  });

  it('a server that does not answer: a timeout error; a server that is down: cannot reach', async () => {
    handler = () => { /* never answers */ };
    const t0 = Date.now();
    await rejectsWith(completeAt(remoteCompletionBackend(config({ timeoutMs: 300 })), site, settings), 'remote-timeout', /did not answer within 300 ms/);
    assert.ok(Date.now() - t0 < 3000);
    await rejectsWith(remoteChat(config({ baseUrl: 'http://127.0.0.1:1/v1' }), [{ role: 'user', content: 'hi' }]), 'remote-failed', /Cannot reach/);
  });

  it('a deadline ends the request with stop reason "deadline"; an abort with "aborted" and no cached answer', async () => {
    handler = () => { /* never answers */ };
    const r = await completeAt(remoteCompletionBackend(config()), site, { ...settings, deadlineMs: 100 });
    assert.equal(r.report?.stopReason, 'deadline');
    assert.equal(r.completion, '');
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const a = await completeAt(remoteCompletionBackend(config()), site, settings, abort.signal);
    assert.equal(a.report?.stopReason, 'aborted');
  });

  it('chat: streams /v1/chat/completions deltas in order', async () => {
    handler = (_req, _body, res) => sse(res, [{ choices: [{ delta: { role: 'assistant' } }] }, delta('Use '), delta('`sum(xs)`'), delta('.', 'stop')], 20);
    const pieces: string[] = [];
    const r = await remoteChat(config({ apiKey: 'k' }), [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Sum a list?' }], {
      onText: (d) => pieces.push(d), maxTokens: 50, temperature: 0.2,
    });
    assert.deepEqual(pieces, ['Use ', '`sum(xs)`', '.']);
    assert.equal(r.text, 'Use `sum(xs)`.');
    assert.equal(r.stopReason, 'eos');
    const body = seen[0]!.body;
    assert.equal(seen[0]!.url, '/v1/chat/completions');
    assert.equal(body['stream'], true);
    assert.equal(body['max_tokens'], 50);
    assert.deepEqual(body['messages'], [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Sum a list?' }]);
  });

  it('chat: the client aborts mid-stream (text so far, "aborted", connection closed); the server cuts the stream (an error)', async () => {
    handler = (_req, _body, res) => sse(res, Array.from({ length: 50 }, (_, i) => delta(`w${i} `)), 30, 'hang');
    const abort = new AbortController();
    const pieces: string[] = [];
    const r = await remoteChat(config(), [{ role: 'user', content: 'go' }], { signal: abort.signal, onText: (d) => { pieces.push(d); if (pieces.length === 3) abort.abort(); } });
    assert.equal(r.stopReason, 'aborted');
    assert.equal(r.text, 'w0 w1 w2 ');
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(closed, 1, 'the server saw the connection close');

    handler = (_req, _body, res) => sse(res, [delta('half '), delta('an answer')], 10, 'cut');
    await rejectsWith(remoteChat(config(), [{ role: 'user', content: 'go' }]), 'remote-failed', /broke mid-answer|ended its answer early/);
    handler = (_req, _body, res) => sse(res, [delta('a'), { error: { message: 'model overloaded' } }], 10, 'hang');
    await rejectsWith(remoteChat(config(), [{ role: 'user', content: 'go' }]), 'remote-failed', /model overloaded/);
    handler = (_req, _body, res) => sse(res, [delta('a')], 10, 'hang');
    await rejectsWith(remoteChat(config({ timeoutMs: 300 }), [{ role: 'user', content: 'go' }]), 'remote-timeout', /sent nothing/);
  });
});

describe('raw FIM text formats use the token strings of Infill\'s token-level formats', () => {
  for (const family of FIM_FAMILIES) {
    it(family, async () => {
      const f = TEXT_FIM_FORMATS[family];
      // Code Llama's special tokens carry SentencePiece's space (▁<PRE>); the text form writes it as a space.
      const asToken = (t: string) => (family === 'codellama' ? `▁${t.trim()}` : t.trim());
      const tokens = [f.prefix, f.suffix, f.middle, ...f.stops].map(asToken);
      const tokenizer = await tokenizerWithSpecialTokens(tokens);
      assert.ok(fimFamily(family).detect(tokenizer), `the ${family} builder finds its tokens among ${tokens.join(' ')}`);
    });
  }
});
