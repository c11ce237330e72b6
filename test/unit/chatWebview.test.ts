// The webview code is browser code: its types need the DOM library (jsdom's types pull it in too). With it, the
// DOM's ReadableStream must be async-iterable as Node's is, or Node code that iterates fetch bodies stops typechecking.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="dom.asynciterable" />
// The chat panel's webview logic (media/chat) in Node, on a jsdom DOM: the state and its messages, streaming drawn once
// per animation frame, code block actions, keyboard, the shared message guards, and the SAFETY of model output: markup
// from the model renders inert.
import { strict as assert } from 'node:assert';
import { JSDOM } from 'jsdom';
import { createMarkdown } from '../../media/chat/markdown';
import { apply, emptyState, keyAction } from '../../media/chat/state';
import { ChatView } from '../../media/chat/view';
import { isFromWebview, isToWebview, type FromWebview, type ToWebview } from '../../src/chatProtocol';

function setup() {
  const dom = new JSDOM('<!DOCTYPE html><html><body><main id="app"></main></body></html>');
  const window = dom.window as unknown as Window & typeof globalThis;
  const posted: FromWebview[] = [];
  const frames: (() => void)[] = [];
  const view = new ChatView(
    window.document,
    window.document.getElementById('app')!,
    (m) => posted.push(m),
    createMarkdown(window),
    (f) => frames.push(f),
  );
  const runFrames = () => {
    while (frames.length) frames.shift()!();
  };
  return { window, doc: window.document, view, posted, frames, runFrames };
}

function receiveChecked(view: ChatView, m: unknown): void {
  assert.ok(isToWebview(m), `a valid message: ${JSON.stringify(m)}`);
  view.receive(m);
}

const EVIL = [
  'Here you go:',
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(2)">',
  '[click me](javascript:alert(3)) and [also](JaVaScRiPt:alert(4)) and <a href="javascript:alert(5)">raw</a>',
  '<svg onload="alert(6)"><circle/></svg> <iframe src="javascript:alert(7)"></iframe>',
  '![img](x" onerror="alert(8))',
  '```html\n<script>alert(9)</script>\n```',
].join('\n\n');

function assertInert(root: Element): void {
  assert.equal(
    root.querySelectorAll('script, iframe, object, embed, svg').length,
    0,
    'no script, iframe, object, embed or svg elements',
  );
  for (const el of root.querySelectorAll('*')) {
    for (const attr of [...el.attributes]) {
      assert.ok(
        !/^on/i.test(attr.name),
        `no event handler attribute: <${el.tagName.toLowerCase()} ${attr.name}="${attr.value}">`,
      );
      if (['href', 'src', 'xlink:href', 'action', 'formaction'].includes(attr.name.toLowerCase())) {
        assert.ok(
          !/^\s*javascript:/i.test(attr.value.replace(/[\u0000-\u001f]/g, '')),
          `no javascript: URL: ${attr.name}="${attr.value}"`,
        );
      }
    }
  }
}

describe('chat webview: markdown rendering', () => {
  it('renders Markdown and highlights code by its fence language', () => {
    const { window } = setup();
    const html = createMarkdown(window).render(
      '# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\n```python\ndef f(x):\n    return "s"\n```',
    );
    assert.match(html, /<h1>Title<\/h1>/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<li>one<\/li>/);
    assert.match(
      html,
      /<pre data-lang="python"><code class="hljs language-python"><span class="hljs-keyword">def<\/span>/,
    );
    assert.match(html, /<span class="hljs-string">&quot;s&quot;<\/span>|<span class="hljs-string">"s"<\/span>/);
  });

  it('SAFETY: <script>, <img onerror>, javascript: links and raw HTML in model output render inert', () => {
    const { doc, view, runFrames } = setup();
    receiveChecked(view, { type: 'append', message: { id: 'a1', role: 'assistant', text: '', streaming: true } });
    // Streamed in pieces, as the model writes it: every intermediate state is drawn through the same path.
    for (let i = 0; i < EVIL.length; i += 7) {
      receiveChecked(view, { type: 'delta', id: 'a1', text: EVIL.slice(i, i + 7) });
      runFrames();
      assertInert(doc.body);
    }
    receiveChecked(view, { type: 'update', id: 'a1', streaming: false });
    runFrames();
    assertInert(doc.body);
    const answer = doc.querySelector('[data-id="a1"] .markdown')!;
    assert.ok(answer.textContent.includes('<script>alert(1)</script>'), "the model's markup shows as text");
    assert.ok(answer.textContent.includes('click me'), 'the link text stays');
    // The same text through the renderer alone, parsed by the DOM.
    const probe = doc.createElement('div');
    probe.innerHTML = createMarkdown(doc.defaultView as unknown as Window & typeof globalThis).render(EVIL);
    assertInert(probe);
  });

  it('SAFETY: user questions are text, never markup', () => {
    const { doc, view } = setup();
    receiveChecked(view, {
      type: 'append',
      message: { id: 'u1', role: 'user', text: '<img src=x onerror=alert(1)> **not bold**' },
    });
    assertInert(doc.body);
    assert.equal(
      doc.querySelector('[data-id="u1"] .question')!.textContent,
      '<img src=x onerror=alert(1)> **not bold**',
    );
  });
});

describe('chat webview: streaming and messages', () => {
  it('appends streamed text and redraws only the streaming message, once per animation frame', () => {
    const { doc, view, frames, runFrames } = setup();
    receiveChecked(view, {
      type: 'init',
      messages: [
        { id: 'u0', role: 'user', text: 'old question' },
        { id: 'a0', role: 'assistant', text: 'old **answer**' },
      ],
      chips: [],
      busy: false,
      model: 'tiny-codellama',
    });
    const oldAnswer = doc.querySelector('[data-id="a0"]');
    assert.equal(doc.querySelector('.model')!.textContent, 'tiny-codellama');
    receiveChecked(view, { type: 'append', message: { id: 'u1', role: 'user', text: 'new question' } });
    receiveChecked(view, { type: 'append', message: { id: 'a1', role: 'assistant', text: '', streaming: true } });
    receiveChecked(view, { type: 'busy', busy: true });
    const lengths: number[] = [];
    for (const piece of ['Use ', '`sorted', '(xs)`', ' to sort', '.']) {
      receiveChecked(view, { type: 'delta', id: 'a1', text: piece });
      receiveChecked(view, { type: 'delta', id: 'a1', text: '' });
      assert.equal(frames.length, 1, 'one frame scheduled however many deltas arrive');
      runFrames();
      lengths.push(doc.querySelector('[data-id="a1"] .markdown')!.textContent.length);
    }
    assert.deepEqual(
      [...lengths].sort((a, b) => a - b),
      lengths,
    );
    assert.ok(lengths[4]! > lengths[0]!);
    assert.equal(doc.querySelector('[data-id="a1"] code')!.textContent, 'sorted(xs)');
    assert.equal(doc.querySelector('[data-id="a0"]'), oldAnswer, 'earlier messages are not redrawn');
    assert.ok(doc.querySelector('[data-id="a1"]')!.classList.contains('streaming'));
    assert.equal(doc.querySelector('[data-action="stop"]')!.hasAttribute('hidden'), false);
    assert.equal(doc.querySelector('[data-action="send"]')!.hasAttribute('hidden'), true);
    receiveChecked(view, { type: 'update', id: 'a1', streaming: false, note: '5 tokens' });
    receiveChecked(view, { type: 'busy', busy: false });
    runFrames();
    assert.equal(doc.querySelector('[data-id="a1"] .note')!.textContent, '5 tokens');
    const regen = [...doc.querySelectorAll<HTMLButtonElement>('button[data-action="regenerate"]')].filter(
      (b) => !b.hidden,
    );
    assert.equal(regen.length, 1, 'Regenerate on the last answer only');
    assert.equal(regen[0]!.closest<HTMLElement>('.message')!.dataset['id'], 'a1');
  });

  it('every control has an accessible label; code blocks have Copy, Insert at cursor, Open in new file', () => {
    const { doc, view, posted, runFrames } = setup();
    receiveChecked(view, { type: 'chips', chips: [{ id: 'c1', kind: 'selection', label: 'demo.py:3-7' }] });
    receiveChecked(view, {
      type: 'append',
      message: { id: 'a1', role: 'assistant', text: 'Try:\n\n```python\nprint("hi")\n```\n', streaming: false },
    });
    runFrames();
    const buttons = [...doc.querySelectorAll('button')];
    assert.ok(buttons.length >= 10);
    for (const b of buttons) assert.ok(b.getAttribute('aria-label')?.trim(), `a label on ${b.outerHTML}`);
    assert.ok(doc.querySelector('textarea')!.getAttribute('aria-label'));
    const block = doc.querySelector('[data-id="a1"] .code-block')!;
    const click = (label: string) =>
      (block.querySelector(`button[aria-label="${label}"]`) as HTMLButtonElement).click();
    click('Copy code');
    click('Insert code at cursor');
    click('Open code in new file');
    (doc.querySelector('button[aria-label="Remove demo.py:3-7"]') as HTMLButtonElement).click();
    (doc.querySelector('button[aria-label="Insert the answer at the cursor"]') as HTMLButtonElement).click();
    assert.deepEqual(posted, [
      { type: 'copy', text: 'print("hi")' },
      { type: 'insert', text: 'print("hi")' },
      { type: 'openInEditor', text: 'print("hi")', language: 'python' },
      { type: 'removeChip', id: 'c1' },
      { type: 'insert', text: 'Try:\n\n```python\nprint("hi")\n```' },
    ]);
    for (const m of posted) assert.ok(isFromWebview(m));
  });

  it('Enter sends, Shift+Enter is a newline, Escape stops', () => {
    const { window, doc, view, posted } = setup();
    const input = doc.querySelector('textarea')!;
    const key = (init: KeyboardEventInit) =>
      input.dispatchEvent(new window.KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
    input.value = 'line one';
    assert.equal(key({ key: 'Enter', shiftKey: true }), true, 'Shift+Enter is left to the textarea');
    assert.deepEqual(posted, []);
    assert.equal(key({ key: 'Enter' }), false, 'Enter is taken');
    assert.deepEqual(posted, [{ type: 'send', text: 'line one' }]);
    assert.equal(input.value, '');
    receiveChecked(view, { type: 'busy', busy: true });
    key({ key: 'Escape' });
    assert.deepEqual(posted.at(-1), { type: 'stop' });
    input.value = 'while busy';
    key({ key: 'Enter' });
    assert.equal(posted.length, 2, 'no send while an answer streams');
    assert.equal(
      keyAction({ key: 'Enter', shiftKey: false, isComposing: true }),
      undefined,
      'Enter that ends an input method composition',
    );
  });

  it("the state follows the extension's messages", () => {
    const s = emptyState();
    assert.deepEqual(apply(s, { type: 'append', message: { id: 'x', role: 'assistant', text: 'a' } }), {
      kind: 'append',
      id: 'x',
    });
    assert.deepEqual(
      apply(s, { type: 'append', message: { id: 'x', role: 'assistant', text: 'a' } }),
      { kind: 'none' },
      'no duplicate',
    );
    apply(s, { type: 'delta', id: 'x', text: 'b' });
    apply(s, { type: 'update', id: 'x', error: 'boom', streaming: false });
    assert.deepEqual(s.messages, [{ id: 'x', role: 'assistant', text: 'ab', error: 'boom', streaming: false }]);
    assert.deepEqual(apply(s, { type: 'delta', id: 'nope', text: 'b' }), { kind: 'none' });
    apply(s, { type: 'remove', id: 'x' });
    assert.deepEqual(s.messages, []);
  });
});

describe('chat protocol guards (both sides check what they receive)', () => {
  it('accepts the declared messages', () => {
    const to: ToWebview[] = [
      {
        type: 'init',
        messages: [{ id: 'a', role: 'user', text: 'q' }],
        chips: [{ id: 'c', kind: 'file', label: 'f.py' }],
        busy: false,
        model: 'm',
      },
      { type: 'append', message: { id: 'a', role: 'assistant', text: '', streaming: true } },
      { type: 'delta', id: 'a', text: 'x' },
      { type: 'update', id: 'a', note: 'n' },
      { type: 'remove', id: 'a' },
      { type: 'chips', chips: [] },
      { type: 'busy', busy: true },
      { type: 'model', model: 'm' },
      { type: 'focus' },
    ];
    for (const m of to) assert.ok(isToWebview(m), JSON.stringify(m));
    const from: FromWebview[] = [
      { type: 'ready' },
      { type: 'send', text: 'q' },
      { type: 'stop' },
      { type: 'regenerate' },
      { type: 'newChat' },
      { type: 'addChip', kind: 'selection' },
      { type: 'removeChip', id: 'c' },
      { type: 'copy', text: 'x' },
      { type: 'insert', text: 'x' },
      { type: 'openInEditor', text: 'x', language: 'python' },
    ];
    for (const m of from) assert.ok(isFromWebview(m), JSON.stringify(m));
  });

  it('rejects anything else', () => {
    for (const m of [
      null,
      'send',
      42,
      {},
      { type: 'send' },
      { type: 'send', text: 1 },
      { type: 'insert' },
      { type: 'addChip', kind: 'folder' },
      { type: 'openInEditor', text: 'x' },
      { type: 'eval', code: 'x' },
    ])
      assert.equal(isFromWebview(m), false, JSON.stringify(m));
    for (const m of [
      null,
      { type: 'delta', id: 'a' },
      { type: 'append', message: { id: 'a', role: 'system', text: '' } },
      { type: 'init', messages: [{}], chips: [], busy: false, model: '' },
      { type: 'busy', busy: 'yes' },
      { type: 'html', html: '<b>' },
    ]) {
      assert.equal(isToWebview(m), false, JSON.stringify(m));
    }
  });
});
