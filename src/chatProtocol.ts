/**
 * The one message protocol between the chat panel's webview (media/chat) and the extension (src/vscode/chatView.ts),
 * declared once and imported by both sides; each side checks what it receives with the guards below. No vscode or
 * Node imports here: the webview bundle includes this file.
 */

export interface ChipView {
  id: string;
  kind: 'selection' | 'file';
  /** e.g. "demo.py:3-7" or "demo.py". */
  label: string;
}

export interface MessageView {
  id: string;
  role: 'user' | 'assistant';
  /** Markdown for answers; plain text for questions. */
  text: string;
  /** User messages: the attached code as sent (Markdown code blocks). */
  context?: string;
  /** A line shown under the message: context cut, turns dropped, stopped, the model's speed. */
  note?: string;
  error?: string;
  streaming?: boolean;
}

/** Extension -> webview. */
export type ToWebview =
  | { type: 'init'; messages: MessageView[]; chips: ChipView[]; busy: boolean; model: string }
  /** A new message: the user's question, or the start of an answer (streaming). */
  | { type: 'append'; message: MessageView }
  /** The next piece of a streaming answer. */
  | { type: 'delta'; id: string; text: string }
  /** Changes to a message: its note, its context, the end of its streaming, an error. */
  | { type: 'update'; id: string; note?: string; context?: string; error?: string; streaming?: boolean; text?: string }
  | { type: 'remove'; id: string }
  | { type: 'chips'; chips: ChipView[] }
  | { type: 'busy'; busy: boolean }
  | { type: 'model'; model: string }
  /** Put the caret in the question box (Ask About Selection). */
  | { type: 'focus' };

/** Webview -> extension. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'send'; text: string }
  | { type: 'stop' }
  | { type: 'regenerate' }
  | { type: 'newChat' }
  | { type: 'addChip'; kind: 'selection' | 'file' }
  | { type: 'removeChip'; id: string }
  | { type: 'copy'; text: string }
  | { type: 'insert'; text: string }
  | { type: 'openInEditor'; text: string; language: string };

const isObject = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null;
const str = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown) => v === undefined || typeof v === 'string';
const optBool = (v: unknown) => v === undefined || typeof v === 'boolean';

function isChip(c: unknown): c is ChipView {
  return isObject(c) && str(c['id']) && (c['kind'] === 'selection' || c['kind'] === 'file') && str(c['label']);
}

export function isMessageView(m: unknown): m is MessageView {
  return (
    isObject(m) &&
    str(m['id']) &&
    (m['role'] === 'user' || m['role'] === 'assistant') &&
    str(m['text']) &&
    optStr(m['context']) &&
    optStr(m['note']) &&
    optStr(m['error']) &&
    optBool(m['streaming'])
  );
}

export function isToWebview(m: unknown): m is ToWebview {
  if (!isObject(m)) return false;
  switch (m['type']) {
    case 'init':
      return (
        Array.isArray(m['messages']) &&
        m['messages'].every(isMessageView) &&
        Array.isArray(m['chips']) &&
        m['chips'].every(isChip) &&
        typeof m['busy'] === 'boolean' &&
        str(m['model'])
      );
    case 'append':
      return isMessageView(m['message']);
    case 'delta':
      return str(m['id']) && str(m['text']);
    case 'update':
      return (
        str(m['id']) &&
        optStr(m['note']) &&
        optStr(m['context']) &&
        optStr(m['error']) &&
        optBool(m['streaming']) &&
        optStr(m['text'])
      );
    case 'remove':
      return str(m['id']);
    case 'chips':
      return Array.isArray(m['chips']) && m['chips'].every(isChip);
    case 'busy':
      return typeof m['busy'] === 'boolean';
    case 'model':
      return str(m['model']);
    case 'focus':
      return true;
    default:
      return false;
  }
}

export function isFromWebview(m: unknown): m is FromWebview {
  if (!isObject(m)) return false;
  switch (m['type']) {
    case 'ready':
    case 'stop':
    case 'regenerate':
    case 'newChat':
      return true;
    case 'send':
      return str(m['text']);
    case 'addChip':
      return m['kind'] === 'selection' || m['kind'] === 'file';
    case 'removeChip':
      return str(m['id']);
    case 'copy':
    case 'insert':
      return str(m['text']);
    case 'openInEditor':
      return str(m['text']) && str(m['language']);
    default:
      return false;
  }
}
