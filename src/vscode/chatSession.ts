import * as vscode from 'vscode';
import type { ChipView, FromWebview, MessageView, ToWebview } from '../chatProtocol';
import { describeContext } from '../core/chat/context';
import { Conversation, DEFAULT_CHAT_SETTINGS, type ChatAnswer, type ChatSettings } from '../core/chat/conversation';
import type { ModelBackend } from '../core/backend/types';
import { tokensText } from '../core/backend/reportText';
import type { ContextChip, Turn, UserTurn } from '../core/chat/types';
import { InfillError } from '../core/errors';
import { settingsReader } from './settings';

const HISTORY_KEY = 'infill.chat.history';

export function readChatSettings(): ChatSettings {
  const c = settingsReader();
  const d = DEFAULT_CHAT_SETTINGS;
  return {
    systemPrompt: c('chat.systemPrompt') || d.systemPrompt,
    maxNewTokens: c('chat.maxTokens'),
    contextTokens: c('chat.contextTokens'),
    temperature: c('chat.temperature'),
    topP: d.topP,
    historyLimit: c('chat.historyLimit'),
  };
}

interface Saved {
  version: 1;
  turns: Turn[];
  views: MessageView[];
}

/** Fence languages highlight.js writes, as VS Code language ids. */
const LANGUAGE_IDS: Record<string, string> = {
  py: 'python',
  js: 'javascript',
  ts: 'typescript',
  sh: 'shellscript',
  bash: 'shellscript',
  shell: 'shellscript',
  zsh: 'shellscript',
  'c++': 'cpp',
  cs: 'csharp',
  rs: 'rust',
  yml: 'yaml',
  md: 'markdown',
  html: 'html',
  xml: 'xml',
  jsx: 'javascriptreact',
  tsx: 'typescriptreact',
};

/**
 * The chat panel's conversation on the extension side: the core Conversation, the attached context chips, streaming to
 * the webview, Stop, Regenerate, New chat, the history in workspaceState, and the code actions (copy, insert, open).
 */
/** The question's note when the model has no chat template (Infill then writes Code Llama - Instruct's format). */
export const NO_TEMPLATE_NOTE =
  "This model has no chat template: Infill writes Code Llama - Instruct's [INST] format, so answers are poor unless it is a Code Llama - Instruct model. Pick an instruct model (Select Model) or a server (infill.backend)";

export class ChatSession implements vscode.Disposable {
  private toldNoTemplate = false;

  /** Once a session: a chat model without a template, with the two ways out. */
  private tellNoTemplate(): void {
    if (this.toldNoTemplate) return;
    this.toldNoTemplate = true;
    this.log.warn(`chat: ${NO_TEMPLATE_NOTE}`);
    void vscode.window
      .showWarningMessage(
        'Infill: the chat model has no chat template, so answers may be poor. Use an instruct model, or an OpenAI-compatible server.',
        'Select Model',
        'Use a Server',
      )
      .then((choice) => {
        if (choice === 'Select Model') void vscode.commands.executeCommand('infill.selectModel');
        if (choice === 'Use a Server')
          void vscode.commands.executeCommand('workbench.action.openSettings', 'infill.backend');
      });
  }

  private readonly conversation: Conversation;
  private views: MessageView[];
  private chips: (ChipView & { chip: ContextChip })[] = [];
  private running: AbortController | undefined;
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private nextId = 1;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The view's webview, while it exists. */
  post: (m: ToWebview) => void = () => undefined;

  /** `backend`: the chat backend, or a function that answers the one to use now (each question asks it). */
  constructor(
    private readonly state: vscode.Memento,
    backend: ModelBackend | (() => ModelBackend),
    private readonly log: vscode.LogOutputChannel,
  ) {
    const saved = state.get<Saved>(HISTORY_KEY);
    const valid = saved?.version === 1 && Array.isArray(saved.turns) && Array.isArray(saved.views);
    this.conversation = new Conversation(backend, readChatSettings, valid ? saved.turns : []);
    this.views = valid ? saved.views.map((v) => ({ ...v, streaming: false })) : [];
    this.nextId = this.views.length + 1;
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e) this.lastEditor = e;
      }),
    );
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  get messages(): readonly MessageView[] {
    return this.views;
  }

  initMessage(): ToWebview {
    return {
      type: 'init',
      messages: this.views,
      chips: this.chipViews(),
      busy: this.busy,
      model: this.conversation.modelName,
    };
  }

  /** The settings now name another model or backend: the panel's header says which. */
  modelChanged(): void {
    this.post({ type: 'model', model: this.conversation.modelName });
  }

  async handle(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.post(this.initMessage());
        return;
      case 'send':
        return this.send(m.text);
      case 'stop':
        this.running?.abort();
        return;
      case 'regenerate':
        return this.regenerate();
      case 'newChat':
        return this.newChat();
      case 'addChip':
        this.addChip(m.kind);
        return;
      case 'removeChip':
        this.chips = this.chips.filter((c) => c.id !== m.id);
        this.post({ type: 'chips', chips: this.chipViews() });
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        vscode.window.setStatusBarMessage('Infill: copied to the clipboard', 2000);
        return;
      case 'insert':
        return this.insert(m.text);
      case 'openInEditor':
        return this.openInEditor(m.text, m.language);
    }
  }

  /** Attaches the editor's selection (Ask About Selection, the panel's button). False when there is none. */
  addChip(kind: 'selection' | 'file', editor = vscode.window.activeTextEditor ?? this.lastEditor): boolean {
    if (!editor) {
      void vscode.window.showInformationMessage('Infill: open a file first, to attach its code to the chat.');
      return false;
    }
    const doc = editor.document;
    const path = vscode.workspace.asRelativePath(doc.uri);
    const sel = editor.selection;
    if (kind === 'selection' && sel.isEmpty) {
      void vscode.window.showInformationMessage('Infill: select some code first, to attach it to the chat.');
      return false;
    }
    const text = kind === 'selection' ? doc.getText(sel) : doc.getText();
    const startLine = kind === 'selection' ? sel.start.line + 1 : 1;
    const endLine = startLine + text.replace(/\n$/, '').split('\n').length - 1;
    const chip: ContextChip = { kind, path, language: doc.languageId, text, startLine };
    const label = kind === 'selection' ? `${path}:${startLine}${endLine > startLine ? `-${endLine}` : ''}` : path;
    // One chip per kind and file: attaching again replaces it.
    this.chips = this.chips.filter((c) => !(c.kind === kind && c.chip.path === path));
    this.chips.push({ id: `c${this.nextId++}`, kind, label, chip });
    this.post({ type: 'chips', chips: this.chipViews() });
    return true;
  }

  private chipViews(): ChipView[] {
    return this.chips.map(({ id, kind, label }) => ({ id, kind, label }));
  }

  private id(): string {
    return `m${Date.now().toString(36)}-${this.nextId++}`;
  }

  async send(text: string): Promise<void> {
    if (this.busy || !text.trim()) return;
    const chips = this.chips.map((c) => c.chip);
    this.chips = [];
    this.post({ type: 'chips', chips: [] });
    const user: MessageView = { id: this.id(), role: 'user', text: text.trim() };
    this.views.push(user);
    this.post({ type: 'append', message: user });
    const before = this.conversation.turns.length;
    await this.run(
      user,
      (options) => this.conversation.ask(text, chips, options),
      () => this.conversation.turns.length === before,
    );
  }

  async regenerate(): Promise<void> {
    if (this.busy) return;
    const last = this.views[this.views.length - 1];
    if (last?.role !== 'assistant') return;
    this.views.pop();
    this.post({ type: 'remove', id: last.id });
    const user = [...this.views].reverse().find((v) => v.role === 'user');
    if (!user) return;
    await this.run(
      user,
      (options) => this.conversation.regenerate(options),
      () => false,
    );
  }

  async newChat(): Promise<void> {
    this.running?.abort();
    this.conversation.clear();
    this.views = [];
    this.post(this.initMessage());
    await this.save();
  }

  /** Streams one answer into a new assistant message; `refused` tells whether the question never became a turn. */
  private async run(
    user: MessageView,
    answer: (o: Parameters<Conversation['ask']>[2]) => Promise<ChatAnswer>,
    refused: () => boolean,
  ): Promise<void> {
    const reply: MessageView = { id: this.id(), role: 'assistant', text: '', streaming: true };
    this.views.push(reply);
    this.post({ type: 'append', message: reply });
    const controller = new AbortController();
    this.running = controller;
    this.post({ type: 'busy', busy: true });
    try {
      const result = await answer({
        signal: controller.signal,
        onText: (delta) => {
          reply.text += delta;
          this.post({ type: 'delta', id: reply.id, text: delta });
        },
        onPrompt: (prompt, turn) => {
          const notes = [
            describeContext(turn.context),
            prompt.droppedTurns
              ? `${prompt.droppedTurns} earlier exchange${prompt.droppedTurns > 1 ? 's' : ''} left out: the context window is full`
              : undefined,
            prompt.format === 'codellama-instruct' ? NO_TEMPLATE_NOTE : undefined,
          ].filter(Boolean);
          if (prompt.format === 'codellama-instruct') this.tellNoTemplate();
          user.context = contextMarkdown(turn);
          user.note = notes.join('. ') || undefined;
          this.post({ type: 'update', id: user.id, context: user.context ?? '', note: user.note ?? '' });
          this.log.info(
            `chat: ${prompt.format} prompt of ${prompt.exactTokens ? '' : 'about '}${prompt.promptTokens} tokens (${prompt.droppedTurns} exchanges dropped)`,
          );
        },
      });
      const r = result.report;
      reply.text = result.answer;
      reply.note = [
        r.stopReason === 'aborted' || r.stopReason === 'preempted'
          ? 'Stopped'
          : r.stopReason === 'max-tokens'
            ? 'Cut at infill.chat.maxTokens'
            : undefined,
        tokensText(r),
      ]
        .filter(Boolean)
        .join(' · ');
      this.log.info(`chat: ${tokensText(r)} (${r.stopReason})`);
    } catch (err) {
      const message = err instanceof InfillError ? err.toLine() : err instanceof Error ? err.message : String(err);
      this.log.warn(`chat: ${message}`);
      if (refused()) {
        // The question never reached the model (refused tags, too long): the error goes on the question itself.
        this.views = this.views.filter((v) => v !== reply);
        this.post({ type: 'remove', id: reply.id });
        user.error = message;
        this.post({ type: 'update', id: user.id, error: message });
      } else {
        reply.error = message;
      }
    } finally {
      reply.streaming = false;
      if (this.views.includes(reply))
        this.post({
          type: 'update',
          id: reply.id,
          text: reply.text,
          note: reply.note ?? '',
          error: reply.error ?? '',
          streaming: false,
        });
      if (this.running === controller) this.running = undefined;
      this.post({ type: 'busy', busy: this.busy });
    }
    await this.save();
  }

  private async save(): Promise<void> {
    const limit = Math.max(2, readChatSettings().historyLimit);
    this.views = this.views.slice(-limit);
    while (this.views[0] && this.views[0].role !== 'user') this.views.shift();
    const saved: Saved = { version: 1, turns: [...this.conversation.turns], views: this.views };
    await this.state.update(HISTORY_KEY, saved);
  }

  private async insert(text: string): Promise<void> {
    const editor = vscode.window.activeTextEditor ?? this.lastEditor;
    if (!editor || editor.document.isClosed) {
      void vscode.window.showInformationMessage('Infill: open a file and place the cursor where the code should go.');
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(editor.document.uri, editor.selection, text);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showWarningMessage(
        `Infill: cannot insert into ${vscode.workspace.asRelativePath(editor.document.uri)} (read-only?)`,
      );
      return;
    }
    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
  }

  private async openInEditor(text: string, fence: string): Promise<void> {
    const name = fence.toLowerCase();
    const known = await vscode.languages.getLanguages();
    const language = LANGUAGE_IDS[name] ?? (known.includes(name) ? name : 'plaintext');
    const doc = await vscode.workspace.openTextDocument({ content: text, language });
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  dispose(): void {
    this.running?.abort();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The attached code of a question, as the Markdown code blocks that went to the model. */
function contextMarkdown(turn: UserTurn): string | undefined {
  if (!turn.context.length) return undefined;
  const at = turn.content.lastIndexOf(`\n\n${turn.question}`);
  return at > 0 ? turn.content.slice(0, at) : undefined;
}
