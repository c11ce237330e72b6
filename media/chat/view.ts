// The chat panel's DOM: built once, then changed message by message. Streamed text is drawn at most once per animation
// frame, and only the streaming message is redrawn. Every control is a <button> with an aria-label.
import type { FromWebview, MessageView, ToWebview } from '../../src/chatProtocol';
import type { Markdown } from './markdown';
import { apply, emptyState, keyAction, lastAnswerId, type ChatState } from './state';

type Post = (m: FromWebview) => void;

function icon(doc: Document, name: string): HTMLElement {
  const i = doc.createElement('i');
  i.className = `codicon codicon-${name}`;
  i.setAttribute('aria-hidden', 'true');
  return i;
}

function button(doc: Document, name: string, label: string, action: string, text?: string): HTMLButtonElement {
  const b = doc.createElement('button');
  b.type = 'button';
  b.className = text ? 'text-button' : 'icon-button';
  b.dataset['action'] = action;
  b.setAttribute('aria-label', label);
  b.title = label;
  b.append(icon(doc, name));
  if (text) b.append(doc.createTextNode(text));
  return b;
}

export class ChatView {
  readonly state: ChatState = emptyState();
  readonly log: HTMLElement;
  readonly input: HTMLTextAreaElement;
  private readonly chipsEl: HTMLElement;
  private readonly modelEl: HTMLElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly emptyEl: HTMLElement;
  private readonly dirty = new Set<string>();
  private frame: number | undefined;

  constructor(
    private readonly doc: Document,
    root: HTMLElement,
    private readonly post: Post,
    private readonly md: Markdown,
    private readonly raf: (f: () => void) => number = (f) => requestAnimationFrame(f),
  ) {
    const header = doc.createElement('header');
    header.className = 'toolbar';
    this.modelEl = doc.createElement('span');
    this.modelEl.className = 'model';
    header.append(this.modelEl, button(doc, 'add', 'New chat', 'new-chat'));

    this.log = doc.createElement('div');
    this.log.className = 'log';
    this.log.setAttribute('role', 'log');
    this.log.setAttribute('aria-label', 'Conversation');
    this.log.setAttribute('aria-live', 'polite');
    this.emptyEl = doc.createElement('p');
    this.emptyEl.className = 'empty';
    this.emptyEl.textContent =
      'Ask about your code. Attach the selection or the current file with the buttons below; Enter sends, Shift+Enter adds a line, Escape stops.';

    const composer = doc.createElement('footer');
    composer.className = 'composer';
    this.chipsEl = doc.createElement('div');
    this.chipsEl.className = 'chips';
    this.chipsEl.setAttribute('role', 'list');
    this.chipsEl.setAttribute('aria-label', 'Attached context');
    this.input = doc.createElement('textarea');
    this.input.rows = 3;
    this.input.setAttribute('aria-label', 'Question for Infill');
    this.input.placeholder = 'Ask Infill (Enter to send, Shift+Enter for a new line)';
    const actions = doc.createElement('div');
    actions.className = 'actions';
    const spacer = doc.createElement('span');
    spacer.className = 'spacer';
    this.sendButton = button(doc, 'send', 'Send (Enter)', 'send');
    this.stopButton = button(doc, 'debug-stop', 'Stop (Escape)', 'stop');
    actions.append(
      button(doc, 'selection', 'Attach the selection', 'add-selection'),
      button(doc, 'file-code', 'Attach the current file', 'add-file'),
      spacer,
      this.stopButton,
      this.sendButton,
    );
    composer.append(this.chipsEl, this.input, actions);
    root.append(header, this.log, this.emptyEl, composer);

    root.addEventListener('click', (e) => this.onClick(e));
    this.input.addEventListener('keydown', (e) => {
      const action = keyAction(e);
      if (action === 'send') {
        e.preventDefault();
        this.send();
      }
      if (action === 'stop' && this.state.busy) {
        e.preventDefault();
        this.post({ type: 'stop' });
      }
    });
    doc.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.state.busy && e.target !== this.input) this.post({ type: 'stop' });
    });
    this.drawAll();
  }

  /** A message from the extension (already checked with isToWebview). */
  receive(m: ToWebview): void {
    const change = apply(this.state, m);
    switch (change.kind) {
      case 'all':
        this.drawAll();
        break;
      case 'append':
        this.log.append(this.messageElement(this.find(change.id)!));
        this.afterListChange();
        break;
      case 'message':
        this.dirty.add(change.id);
        this.schedule();
        break;
      case 'remove':
        this.element(change.id)?.remove();
        this.afterListChange();
        break;
      case 'chips':
        this.drawChips();
        break;
      case 'busy':
        this.drawBusy();
        break;
      case 'focus':
        this.input.focus();
        break;
      case 'none':
        break;
    }
  }

  /** Draws pending message changes now (the animation frame does it otherwise). */
  flush(): void {
    this.frame = undefined;
    const stick = this.nearBottom();
    for (const id of this.dirty) {
      const m = this.find(id);
      const el = this.element(id);
      if (m && el) el.replaceWith(this.messageElement(m));
    }
    this.dirty.clear();
    this.drawRegenerate();
    if (stick) this.scrollToEnd();
  }

  private schedule(): void {
    if (this.frame === undefined) this.frame = this.raf(() => this.flush());
  }

  private element(id: string): HTMLElement | undefined {
    return [...this.log.children].find((el): el is HTMLElement => (el as HTMLElement).dataset['id'] === id);
  }

  private find(id: string): MessageView | undefined {
    return this.state.messages.find((m) => m.id === id);
  }

  private send(): void {
    const text = this.input.value;
    if (!text.trim() || this.state.busy) return;
    this.post({ type: 'send', text });
    this.input.value = '';
  }

  private onClick(e: Event): void {
    const target = (e.target as Element | null)?.closest<HTMLElement>('button[data-action]');
    if (!target) return;
    const action = target.dataset['action'];
    const codeBlock = target.closest('.code-block');
    const message = target.closest<HTMLElement>('.message');
    const code = () => codeBlock?.querySelector('code')?.textContent ?? '';
    const answer = () => (message ? (this.find(message.dataset['id'] ?? '')?.text.trim() ?? '') : '');
    switch (action) {
      case 'send':
        this.send();
        break;
      case 'stop':
        this.post({ type: 'stop' });
        break;
      case 'new-chat':
        this.post({ type: 'newChat' });
        break;
      case 'regenerate':
        this.post({ type: 'regenerate' });
        break;
      case 'add-selection':
        this.post({ type: 'addChip', kind: 'selection' });
        break;
      case 'add-file':
        this.post({ type: 'addChip', kind: 'file' });
        break;
      case 'remove-chip':
        this.post({ type: 'removeChip', id: target.dataset['chip'] ?? '' });
        break;
      case 'copy-code':
        this.post({ type: 'copy', text: code() });
        break;
      case 'insert-code':
        this.post({ type: 'insert', text: code() });
        break;
      case 'open-code':
        this.post({
          type: 'openInEditor',
          text: code(),
          language: codeBlock?.querySelector('pre')?.dataset['lang'] ?? '',
        });
        break;
      case 'copy-answer':
        this.post({ type: 'copy', text: answer() });
        break;
      case 'insert-answer':
        this.post({ type: 'insert', text: answer() });
        break;
    }
  }

  private drawAll(): void {
    this.log.replaceChildren(...this.state.messages.map((m) => this.messageElement(m)));
    this.dirty.clear();
    this.drawChips();
    this.drawBusy();
    this.afterListChange();
  }

  private afterListChange(): void {
    this.emptyEl.hidden = this.state.messages.length > 0;
    this.drawRegenerate();
    this.scrollToEnd();
  }

  private drawBusy(): void {
    this.modelEl.textContent = this.state.model;
    this.stopButton.hidden = !this.state.busy;
    this.sendButton.hidden = this.state.busy;
    this.log.setAttribute('aria-busy', String(this.state.busy));
    this.drawRegenerate();
  }

  /** Regenerate sits on the last answer only, when nothing runs. */
  private drawRegenerate(): void {
    const last = lastAnswerId(this.state);
    for (const b of this.log.querySelectorAll<HTMLButtonElement>('button[data-action="regenerate"]')) {
      b.hidden = this.state.busy || b.closest<HTMLElement>('.message')?.dataset['id'] !== last;
    }
  }

  private drawChips(): void {
    this.chipsEl.replaceChildren(
      ...this.state.chips.map((c) => {
        const chip = this.doc.createElement('span');
        chip.className = 'chip';
        chip.setAttribute('role', 'listitem');
        const label = this.doc.createElement('span');
        label.textContent = c.label;
        const remove = button(this.doc, 'close', `Remove ${c.label}`, 'remove-chip');
        remove.dataset['chip'] = c.id;
        chip.append(icon(this.doc, c.kind === 'selection' ? 'selection' : 'file-code'), label, remove);
        return chip;
      }),
    );
    this.chipsEl.hidden = this.state.chips.length === 0;
  }

  private messageElement(m: MessageView): HTMLElement {
    const doc = this.doc;
    const el = doc.createElement('article');
    el.className = `message ${m.role}${m.streaming ? ' streaming' : ''}`;
    el.dataset['id'] = m.id;
    el.setAttribute('aria-label', m.role === 'user' ? 'Your question' : "Infill's answer");
    const role = doc.createElement('div');
    role.className = 'role';
    role.append(
      icon(doc, m.role === 'user' ? 'account' : 'sparkle'),
      doc.createTextNode(m.role === 'user' ? 'You' : 'Infill'),
    );
    el.append(role);
    if (m.context) {
      const details = doc.createElement('details');
      details.className = 'context';
      const summary = doc.createElement('summary');
      summary.textContent = 'Attached code';
      const body = doc.createElement('div');
      body.className = 'markdown';
      body.innerHTML = this.md.render(m.context);
      this.decorateCode(body);
      details.append(summary, body);
      el.append(details);
    }
    const body = doc.createElement('div');
    if (m.role === 'user') {
      body.className = 'question';
      body.textContent = m.text;
    } else {
      body.className = 'markdown';
      body.innerHTML = this.md.render(m.text.trimStart());
      this.decorateCode(body);
    }
    el.append(body);
    if (m.note) {
      const note = doc.createElement('div');
      note.className = 'note';
      note.textContent = m.note;
      el.append(note);
    }
    if (m.error) {
      const error = doc.createElement('div');
      error.className = 'error';
      error.setAttribute('role', 'alert');
      error.append(icon(doc, 'error'), doc.createTextNode(` ${m.error}`));
      el.append(error);
    }
    if (m.role === 'assistant' && !m.streaming) {
      const actions = doc.createElement('div');
      actions.className = 'message-actions';
      if (m.text.trim()) {
        actions.append(
          button(doc, 'copy', 'Copy the answer', 'copy-answer', 'Copy'),
          button(doc, 'insert', 'Insert the answer at the cursor', 'insert-answer', 'Insert'),
        );
      }
      actions.append(button(doc, 'refresh', 'Regenerate the answer', 'regenerate', 'Regenerate'));
      el.append(actions);
    }
    return el;
  }

  /** Copy, Insert at cursor and Open in new file on every code block. */
  private decorateCode(container: HTMLElement): void {
    for (const pre of container.querySelectorAll('pre')) {
      const wrap = this.doc.createElement('div');
      wrap.className = 'code-block';
      const bar = this.doc.createElement('div');
      bar.className = 'code-actions';
      const lang = this.doc.createElement('span');
      lang.className = 'lang';
      lang.textContent = pre.dataset['lang'] ?? '';
      bar.append(
        lang,
        button(this.doc, 'copy', 'Copy code', 'copy-code'),
        button(this.doc, 'insert', 'Insert code at cursor', 'insert-code'),
        button(this.doc, 'new-file', 'Open code in new file', 'open-code'),
      );
      pre.replaceWith(wrap);
      wrap.append(bar, pre);
    }
  }

  private nearBottom(): boolean {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40;
  }

  private scrollToEnd(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}
