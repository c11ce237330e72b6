import { strict as assert } from 'node:assert';
import { completeAt } from '../../src/core/completion/pipeline';
import { fimFamily } from '../../src/core/fim';
import { remoteChat } from '../../src/core/remote/chat';
import { remoteBackend } from '../../src/core/remote/backend';
import { FIM_REGISTRY } from '../../src/core/fim/registry';
import type { RemoteConfig } from '../../src/core/remote/http';
import { delta, FakeOpenAIServer, sse } from '../helpers/fakeOpenAI';
import { tokenizerWithSpecialTokens } from '../helpers/tokenizers';
import { rejectsWith } from '../helpers/rejects';

const SOURCE = 'def total(xs):\n    t = 0\n    for x in xs:\n        \n    return t\n';
const CURSOR = SOURCE.indexOf('        \n') + 8;

describe('remote OpenAI-compatible backend (a loopback server)', function () {
  this.timeout(30000);
  const server = new FakeOpenAIServer();
  let base: string;
  const config = (extra: Partial<RemoteConfig> = {}): RemoteConfig => ({
    baseUrl: base,
    model: 'Qwen/Qwen2.5-Coder-1.5B',
    fimMode: 'suffix',
    timeoutMs: 5000,
    ...extra,
  });
  const seen = server.seen;

  before(async () => {
    await server.start();
    base = server.base; // no /v1: the client adds it
  });
  beforeEach(() => server.reset());
  after(() => server.stop());

  const site = { document: 'total.py', path: 'total.py', text: SOURCE, offset: CURSOR, insertSpaces: true, tabSize: 4 };
  const settings = { maxNewTokens: 32, fimOrder: 'auto' as const, fimFamily: 'auto' as const, kind: 'inline' };

  it('suffix mode: /v1/completions with prompt and suffix; the answer goes through the same post-processing', async () => {
    server.handler = (_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          choices: [{ index: 0, text: 't += x\n        print(t)\n    return t\n', finish_reason: 'stop' }],
          usage: { prompt_tokens: 31, completion_tokens: 12 },
        }),
      );
    };
    const r = await completeAt(
      remoteBackend('m', () => config({ apiKey: 'sk-test' })),
      site,
      settings,
    );
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.url, '/v1/completions');
    assert.equal(seen[0]!.auth, 'Bearer sk-test');
    const body = seen[0]!.body;
    assert.equal(body['model'], 'Qwen/Qwen2.5-Coder-1.5B');
    assert.equal(
      body['prompt'],
      SOURCE.slice(0, CURSOR - 8),
      'the indentation typed on the empty line is healed, as the engine does',
    );
    assert.equal(body['suffix'], SOURCE.slice(CURSOR));
    assert.equal(body['max_tokens'], 32);
    assert.equal(body['stream'], false);
    assert.deepEqual(
      body['stop'],
      r.multiline ? ['\n\n\n'] : ['\n'],
      "the pipeline's stop strings travel to the server",
    );
    assert.equal(r.report?.promptTokens, 31);
    assert.equal(r.report?.generatedTokens, 12);
    assert.equal(r.report?.fimFormat, 'remote suffix field');
    // What a server does not say is absent, not a made-up number: no KV cache of ours, no first token seen (not streamed).
    for (const unknown of ['reusedTokens', 'timeToFirstTokenMs', 'tokensPerSecond'] as const)
      assert.ok(!(unknown in r.report), `${unknown} is absent`);
    assert.ok(r.report.totalMs > 0);
    assert.equal(r.raw, 't += x\n        print(t)\n    return t\n');
    assert.equal(r.completion.split('\n')[0], 't += x', 'post-processing kept the first line');
    assert.ok(!r.completion.includes('return t'), 'the line that repeats the code below is dropped');
  });

  it("raw mode: a FIM prompt in the model family's format; special tokens in the answer are cut", async () => {
    server.handler = (_req, _body, res) => {
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ choices: [{ text: 't += x<|endoftext|>junk', finish_reason: 'stop' }] }));
    };
    const r = await completeAt(
      remoteBackend('m', () => config({ fimMode: 'raw' })),
      site,
      settings,
    );
    const body = seen[0]!.body;
    assert.equal(body['suffix'], undefined);
    assert.equal(
      body['prompt'],
      `<|fim_prefix|>${SOURCE.slice(0, CURSOR - 8)}<|fim_suffix|>${SOURCE.slice(CURSOR)}<|fim_middle|>`,
    );
    assert.ok((body['stop'] as string[]).includes('<|endoftext|>'));
    assert.equal(r.report?.fimFormat, 'remote qwen (raw)');
    assert.ok(
      !('promptTokens' in r.report) && !('generatedTokens' in r.report),
      'a server that sends no usage gets no token counts',
    );
    assert.equal(r.raw, 't += x');
    assert.equal(r.report?.stopReason, 'stop-string');
  });

  it('raw mode with a model name that names no family: a settings error', async () => {
    server.handler = () => assert.fail('no request expected');
    await rejectsWith(
      completeAt(
        remoteBackend('m', () => config({ fimMode: 'raw', model: 'my-model' })),
        site,
        settings,
      ),
      'bad-settings',
      /FIM format.*my-model/,
    );
    assert.equal(seen.length, 0);
  });

  it("HTTP 401: an error about the API key; HTTP 500: the server's message", async () => {
    server.handler = (_req, _body, res) => {
      res
        .writeHead(401, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'Invalid API key' } }));
    };
    await rejectsWith(
      completeAt(
        remoteBackend('m', () => config({ apiKey: 'wrong' })),
        site,
        settings,
      ),
      'remote-auth',
      /refused the API key \(HTTP 401: Invalid API key\)/,
    );
    await rejectsWith(remoteChat(config(), [{ role: 'user', content: 'hi' }]), 'remote-auth', /without an API key/);
    server.handler = (_req, _body, res) => {
      res.writeHead(500).end('CUDA out of memory');
    };
    await rejectsWith(
      completeAt(
        remoteBackend('m', () => config()),
        site,
        settings,
      ),
      'remote-failed',
      /failed \(HTTP 500: CUDA out of memory\)/,
    );
  });

  it('a server that does not answer: a timeout error; a server that is down: cannot reach', async () => {
    server.handler = () => {
      /* never answers */
    };
    const t0 = Date.now();
    await rejectsWith(
      completeAt(
        remoteBackend('m', () => config({ timeoutMs: 300 })),
        site,
        settings,
      ),
      'remote-timeout',
      /did not answer within 300 ms/,
    );
    assert.ok(Date.now() - t0 < 3000);
    await rejectsWith(
      remoteChat(config({ baseUrl: 'http://127.0.0.1:1/v1' }), [{ role: 'user', content: 'hi' }]),
      'remote-failed',
      /Cannot reach/,
    );
  });

  it('a deadline ends the request with stop reason "deadline"; an abort with "aborted" and no cached answer', async () => {
    server.handler = () => {
      /* never answers */
    };
    const r = await completeAt(
      remoteBackend('m', () => config()),
      site,
      { ...settings, deadlineMs: 100 },
    );
    assert.equal(r.report?.stopReason, 'deadline');
    assert.equal(r.completion, '');
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const a = await completeAt(
      remoteBackend('m', () => config()),
      site,
      settings,
      abort.signal,
    );
    assert.equal(a.report?.stopReason, 'aborted');
  });

  it('chat: streams /v1/chat/completions deltas in order', async () => {
    server.handler = (_req, _body, res) =>
      sse(
        res,
        [{ choices: [{ delta: { role: 'assistant' } }] }, delta('Use '), delta('`sum(xs)`'), delta('.', 'stop')],
        20,
      );
    const pieces: string[] = [];
    const r = await remoteChat(
      config({ apiKey: 'k' }),
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Sum a list?' },
      ],
      {
        onText: (d) => pieces.push(d),
        maxTokens: 50,
        temperature: 0.2,
      },
    );
    assert.deepEqual(pieces, ['Use ', '`sum(xs)`', '.']);
    assert.equal(r.text, 'Use `sum(xs)`.');
    assert.equal(r.stopReason, 'eos');
    const body = seen[0]!.body;
    assert.equal(seen[0]!.url, '/v1/chat/completions');
    assert.equal(body['stream'], true);
    assert.equal(body['max_tokens'], 50);
    assert.deepEqual(body['messages'], [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Sum a list?' },
    ]);
  });

  it('chat: the client aborts mid-stream (text so far, "aborted", connection closed); the server cuts the stream (an error)', async () => {
    server.handler = (_req, _body, res) =>
      sse(
        res,
        Array.from({ length: 50 }, (_, i) => delta(`w${i} `)),
        30,
        'hang',
      );
    const abort = new AbortController();
    const pieces: string[] = [];
    const r = await remoteChat(config(), [{ role: 'user', content: 'go' }], {
      signal: abort.signal,
      onText: (d) => {
        pieces.push(d);
        if (pieces.length === 3) abort.abort();
      },
    });
    assert.equal(r.stopReason, 'aborted');
    assert.equal(r.text, 'w0 w1 w2 ');
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(server.closed, 1, 'the server saw the connection close');

    server.handler = (_req, _body, res) => sse(res, [delta('half '), delta('an answer')], 10, 'cut');
    await rejectsWith(
      remoteChat(config(), [{ role: 'user', content: 'go' }]),
      'remote-failed',
      /broke mid-answer|ended its answer early/,
    );
    server.handler = (_req, _body, res) =>
      sse(res, [delta('a'), { error: { message: 'model overloaded' } }], 10, 'hang');
    await rejectsWith(remoteChat(config(), [{ role: 'user', content: 'go' }]), 'remote-failed', /model overloaded/);
    server.handler = (_req, _body, res) => sse(res, [delta('a')], 10, 'hang');
    await rejectsWith(
      remoteChat(config({ timeoutMs: 300 }), [{ role: 'user', content: 'go' }]),
      'remote-timeout',
      /sent nothing/,
    );
  });
});

describe("raw FIM text formats use the token strings of Infill's token-level formats", () => {
  for (const spec of FIM_REGISTRY) {
    const family = spec.name;
    it(family, async () => {
      const f = spec.textTokens ?? spec.tokens;
      // Code Llama's special tokens carry SentencePiece's space (▁<PRE>); the text form writes it as a space.
      const asToken = (t: string) => (family === 'codellama' ? `▁${t.trim()}` : t.trim());
      const tokens = [f.prefix, f.suffix, f.middle, ...spec.textStops].map(asToken);
      const tokenizer = await tokenizerWithSpecialTokens(tokens);
      assert.ok(
        fimFamily(family).detect(tokenizer),
        `the ${family} builder finds its tokens among ${tokens.join(' ')}`,
      );
    });
  }
});
