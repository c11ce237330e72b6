// The chat conversation (the chat panel's core) on a remote OpenAI-compatible server: the messages go to streaming
// /v1/chat/completions, answers stream in, Stop aborts mid-stream, and every failure ends the answer as an error turn.
// The server is a loopback fake (a boundary we don't own); the conversation, prompt budget and HTTP client are real.
import { strict as assert } from 'node:assert';
import { Conversation, DEFAULT_CHAT_SETTINGS, type ChatSettings } from '../../src/core/chat';
import type { ContextChip } from '../../src/core/chat';
import { InfillError } from '../../src/core/errors';
import { remoteBackend } from '../../src/core/remote/backend';
import type { RemoteConfig } from '../../src/core/remote/http';
import { delta, FakeOpenAIServer, sse } from '../helpers/fakeOpenAI';
import { rejectsWith } from '../helpers/rejects';

type Messages = { role: string; content: string }[];

describe('chat on a remote OpenAI-compatible server (the conversation over a loopback server)', function () {
  this.timeout(30000);
  const server = new FakeOpenAIServer();
  const settings: ChatSettings = {
    ...DEFAULT_CHAT_SETTINGS,
    systemPrompt: 'Be brief.',
    maxNewTokens: 100,
    temperature: 0.3,
    topP: 0.9,
  };
  const config = (extra: Partial<RemoteConfig> = {}): RemoteConfig => ({
    baseUrl: `${server.base}/v1`,
    model: 'qwen2.5-coder:7b',
    fimMode: 'suffix',
    timeoutMs: 5000,
    ...extra,
  });
  const chat = (extra: Partial<RemoteConfig> = {}, window?: number) =>
    new Conversation(
      remoteBackend('qwen2.5-coder:7b (remote)', () => config(extra), window),
      () => settings,
    );
  const messagesOf = (i: number) => server.seen[i]!.body['messages'] as Messages;

  before(() => server.start());
  beforeEach(() => server.reset());
  after(() => server.stop());

  it('streams the answer; the system prompt, the attached code and the history go as messages', async () => {
    let answer = 0;
    server.handler = (_req, _body, res) => {
      answer++;
      sse(res, answer === 1 ? [delta('Use '), delta('`sum(xs)`'), delta('.', 'stop')] : [delta('Yes', 'stop')], 15);
    };
    const c = chat({ apiKey: 'sk-team' });
    const chip: ContextChip = {
      kind: 'selection',
      path: 'total.py',
      language: 'python',
      text: 'def total(xs):\n    pass\n',
      startLine: 3,
    };
    const pieces: string[] = [];
    const first = await c.ask('How do I sum xs?', [chip], { onText: (d) => pieces.push(d) });
    assert.deepEqual(pieces, ['Use ', '`sum(xs)`', '.'], 'each delta reaches the caller as it arrives');
    assert.equal(first.answer, 'Use `sum(xs)`.');
    assert.equal(first.report.stopReason, 'eos');
    assert.equal(first.prompt.format, 'server', 'the messages go as they are: the server applies its own template');
    assert.equal(first.prompt.exactTokens, false);
    // Streamed: the first text's arrival is seen here; the server keeps no KV cache of ours.
    assert.ok(first.report.timeToFirstTokenMs! > 0 && first.report.timeToFirstTokenMs! <= first.report.totalMs);
    assert.ok(!('reusedTokens' in first.report));
    assert.equal(server.seen[0]!.url, '/v1/chat/completions');
    assert.equal(server.seen[0]!.auth, 'Bearer sk-team');
    const body = server.seen[0]!.body;
    assert.equal(body['stream'], true);
    assert.equal(body['model'], 'qwen2.5-coder:7b');
    assert.equal(body['max_tokens'], 100);
    assert.equal(body['temperature'], 0.3);
    assert.equal(body['top_p'], 0.9);
    const sent = messagesOf(0);
    assert.deepEqual(
      sent.map((m) => m.role),
      ['system', 'user'],
    );
    assert.equal(sent[0]!.content, 'Be brief.');
    assert.equal(
      sent[1]!.content,
      'Selection from total.py (lines 3-4):\n```python\ndef total(xs):\n    pass\n```\n\nHow do I sum xs?',
    );

    const second = await c.ask('Is that fast?', []);
    assert.equal(second.answer, 'Yes');
    assert.deepEqual(
      messagesOf(1),
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: sent[1]!.content },
        { role: 'assistant', content: 'Use `sum(xs)`.' },
        { role: 'user', content: 'Is that fast?' },
      ],
      'the earlier exchange goes with the next question',
    );
    assert.deepEqual(
      c.turns.map((t) => t.role),
      ['user', 'assistant', 'user', 'assistant'],
    );
  });

  it('Stop mid-stream: the answer so far is kept as stopped, the server sees the connection close, the next question works', async () => {
    server.handler = (_req, _body, res) =>
      sse(
        res,
        Array.from({ length: 100 }, (_, i) => delta(`w${i} `)),
        25,
        'hang',
      );
    const c = chat();
    const stop = new AbortController();
    const pieces: string[] = [];
    const t0 = Date.now();
    const r = await c.ask('Count.', [], {
      signal: stop.signal,
      onText: (d) => {
        pieces.push(d);
        if (pieces.length === 4) stop.abort();
      },
    });
    assert.ok(Date.now() - t0 < 2000, 'Stop ends the answer at once, not when the server finishes');
    assert.equal(r.report.stopReason, 'aborted');
    assert.equal(r.answer, 'w0 w1 w2 w3');
    assert.deepEqual(c.turns.at(-1), { role: 'assistant', content: 'w0 w1 w2 w3', stopReason: 'aborted' });
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(server.closed, 1, 'the request was closed, so the server stops generating');

    server.handler = (_req, _body, res) => sse(res, [delta('Done.', 'stop')], 5);
    assert.equal((await c.ask('Again?', [])).answer, 'Done.');
  });

  it('a refused key, a timeout, an error mid-stream and a cut stream each end the answer as an error turn', async () => {
    const c = chat();
    server.handler = (_req, _body, res) => {
      res
        .writeHead(401, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'Invalid API key' } }));
    };
    await rejectsWith(
      c.ask('One?', []),
      'remote-auth',
      /refused the request without an API key \(HTTP 401: Invalid API key\)/,
    );
    assert.deepEqual(c.turns.at(-1), { role: 'assistant', content: '', stopReason: 'error' });

    server.handler = (_req, _body, res) => sse(res, [delta('part')], 10, 'hang');
    const slow = new Conversation(
      remoteBackend('m', () => config({ timeoutMs: 300 })),
      () => settings,
    );
    await rejectsWith(slow.ask('Two?', []), 'remote-timeout', /sent nothing for 300 ms/);
    assert.deepEqual(slow.turns.at(-1), { role: 'assistant', content: '', stopReason: 'error' });

    server.handler = (_req, _body, res) =>
      sse(res, [delta('half '), { error: { message: 'CUDA out of memory' } }], 10, 'hang');
    await rejectsWith(c.ask('Three?', []), 'remote-failed', /reported an error mid-answer: CUDA out of memory/);
    server.handler = (_req, _body, res) => sse(res, [delta('half '), delta('more')], 10, 'cut');
    await rejectsWith(c.ask('Four?', []), 'remote-failed', /broke mid-answer|ended its answer early/);

    // Failed answers are left out of what goes to the server next.
    server.handler = (_req, _body, res) => sse(res, [delta('Fine.', 'stop')], 5);
    server.reset();
    await c.ask('Five?', []);
    assert.deepEqual(
      messagesOf(0).map((m) => m.role),
      ['system', 'user'],
    );
  });

  it("a settings error (no server URL) is the answer's error, and nothing is sent", async () => {
    const c = new Conversation(
      remoteBackend('m', () =>
        Promise.reject(new InfillError('bad-settings', 'infill.remote.baseUrl is empty', 'Set infill.remote.baseUrl')),
      ),
      () => settings,
    );
    await rejectsWith(c.ask('Hello?', []), 'bad-settings', /baseUrl is empty/);
    assert.equal(server.seen.length, 0);
  });

  it('the window is infill.remote.contextWindow, counted as characters / 3: old exchanges are dropped to fit; too long a question is a clear error', async () => {
    server.handler = (_req, _body, res) => sse(res, [delta('x'.repeat(900), 'stop')], 1);
    // 1000 tokens: 100 for the answer, the rest for the prompt; each exchange costs about 300 + 8 + 8 + 300 tokens.
    const c = chat({}, 1000);
    for (let i = 0; i < 3; i++) await c.ask(`Q${i} ${'y'.repeat(890)}`, []);
    const last = await c.ask('And now?', []);
    assert.equal(last.prompt.droppedTurns, 2, 'only the latest exchange fits with the new question');
    assert.ok(
      last.prompt.promptTokens + last.prompt.maxNewTokens <= 1000,
      `${last.prompt.promptTokens} + ${last.prompt.maxNewTokens}`,
    );
    assert.deepEqual(
      messagesOf(3).map((m) => m.content.slice(0, 3)),
      ['Be ', 'Q2 ', 'xxx', 'And'],
    );

    server.reset();
    const tooLong = await rejectsWith(
      chat({}, 1000).ask('z'.repeat(4000), []),
      'bad-arguments',
      /exceeds the model's window of 1000/,
    );
    assert.match(tooLong.fix, /raise infill\.remote\.contextWindow/);
    assert.equal(server.seen.length, 0, 'nothing is sent when it cannot fit');
  });
});
