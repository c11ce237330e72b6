// The chat panel's state in the webview, changed only by messages from the extension. Pure (no DOM): each change says
// which message the view must redraw, so a streamed token redraws one message, never the whole history.
import type { ChipView, MessageView, ToWebview } from '../../src/chatProtocol';

export interface ChatState {
  messages: MessageView[];
  chips: ChipView[];
  busy: boolean;
  model: string;
}

/** What the view must redraw after a message. */
export type Change =
  | { kind: 'all' }
  | { kind: 'append'; id: string }
  | { kind: 'message'; id: string }
  | { kind: 'remove'; id: string }
  | { kind: 'chips' }
  | { kind: 'busy' }
  | { kind: 'focus' }
  | { kind: 'none' };

export const emptyState = (): ChatState => ({ messages: [], chips: [], busy: false, model: '' });

export function apply(state: ChatState, m: ToWebview): Change {
  switch (m.type) {
    case 'init':
      state.messages = m.messages.map((x) => ({ ...x }));
      state.chips = m.chips;
      state.busy = m.busy;
      state.model = m.model;
      return { kind: 'all' };
    case 'append':
      if (state.messages.some((x) => x.id === m.message.id)) return { kind: 'none' };
      state.messages.push({ ...m.message });
      return { kind: 'append', id: m.message.id };
    case 'delta': {
      const target = state.messages.find((x) => x.id === m.id);
      if (!target) return { kind: 'none' };
      target.text += m.text;
      return { kind: 'message', id: m.id };
    }
    case 'update': {
      const target = state.messages.find((x) => x.id === m.id);
      if (!target) return { kind: 'none' };
      if (m.note !== undefined) target.note = m.note;
      if (m.context !== undefined) target.context = m.context;
      if (m.error !== undefined) target.error = m.error;
      if (m.streaming !== undefined) target.streaming = m.streaming;
      if (m.text !== undefined) target.text = m.text;
      return { kind: 'message', id: m.id };
    }
    case 'remove':
      state.messages = state.messages.filter((x) => x.id !== m.id);
      return { kind: 'remove', id: m.id };
    case 'chips':
      state.chips = m.chips;
      return { kind: 'chips' };
    case 'busy':
      state.busy = m.busy;
      return { kind: 'busy' };
    case 'model':
      state.model = m.model;
      return { kind: 'busy' };
    case 'focus':
      return { kind: 'focus' };
  }
}

/** The last answer, which Regenerate replaces. */
export function lastAnswerId(state: ChatState): string | undefined {
  const last = state.messages[state.messages.length - 1];
  return last?.role === 'assistant' ? last.id : undefined;
}

/** Enter sends, Shift+Enter is a newline (and Enter while an input method composes belongs to it). */
export function keyAction(e: {
  key: string;
  shiftKey: boolean;
  isComposing?: boolean;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
}): 'send' | 'stop' | undefined {
  if (e.key === 'Escape') return 'stop';
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey) return 'send';
  return undefined;
}
