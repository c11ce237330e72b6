import { InfillError } from '../errors';
import { SPECIAL_TAGS, codeLlamaInstructPrompt, refuseReserved } from './codeLlamaInstruct';
import { chipLabel, fitContext } from './context';
import type { ChatBackend, ChatMessage, ChatModelInfo, ContextChip, ContextUse, PromptChatBackend, Turn } from './types';

/** `messages`: a server that applies its own template takes the messages as they are (a remote backend). */
export type PromptFormat = 'chat-template' | 'codellama-instruct' | 'messages';

export interface PromptOptions {
  systemPrompt: string;
  /** Room kept for the answer. */
  maxNewTokens: number;
  /** Most tokens of attached code (selection, files). */
  contextTokens: number;
  /** A smaller window than the model's, if wanted. */
  contextWindow?: number;
}

export interface BuiltPrompt {
  /** The prompt text for the model; empty for the `messages` format, where the server renders `messages` itself. */
  prompt: string;
  /** What the prompt is made of: the system message, the exchanges kept, the user's message. */
  messages: ChatMessage[];
  /** The prompt starts with its own BOS (both formats write it), so none is added when encoding. */
  addSpecialTokens: false;
  format: PromptFormat;
  /** Exact for the local engine; an estimate for the `messages` format (the server's tokenizer is not here). */
  promptTokens: number;
  /** Room left for the answer (never more than asked). */
  maxNewTokens: number;
  /** Earlier exchanges (question and answer) left out because the window was full. */
  droppedTurns: number;
  stopStrings: string[];
}

export interface UserMessage {
  question: string;
  content: string;
  context: ContextUse[];
}

export function promptFormat(info: ChatModelInfo, backend?: Pick<ChatBackend, 'kind'>): PromptFormat {
  if (backend?.kind === 'messages') return 'messages';
  return info.hasChatTemplate ? 'chat-template' : 'codellama-instruct';
}

/** Tokens a message costs beyond its content in chat templates (role header, separators), for estimated counts. */
const MESSAGE_OVERHEAD_TOKENS = 8;

/** Strings the user's text may not contain: the tokenizer's special tokens, and Llama's tags where the format uses them. */
export function reservedStrings(info: ChatModelInfo): string[] {
  const usesInstTags = !info.hasChatTemplate || (info.chatTemplate ?? '').includes(SPECIAL_TAGS[0]!);
  return [...new Set([...info.specialTokens.filter((t) => t.trim().length > 1), ...(usesInstTags ? SPECIAL_TAGS : [])])];
}

/** The window available to the prompt, and the answer's room in it. */
function budget(info: ChatModelInfo, options: PromptOptions): { window: number; maxNewTokens: number } {
  const window = Math.min(info.maxPositions, options.contextWindow ?? Infinity);
  return { window, maxNewTokens: Math.max(1, Math.min(options.maxNewTokens, Math.floor(window / 2))) };
}

/**
 * The user's message as sent to the model: the attached code (each chip fitted into the context budget) and the
 * question. Refuses reserved strings in the question and the code, as Meta's chat_completion refuses its special tags.
 */
export async function userMessage(backend: ChatBackend, info: ChatModelInfo, question: string, chips: readonly ContextChip[], options: PromptOptions): Promise<UserMessage> {
  const q = question.trim();
  if (!q) throw new InfillError('bad-arguments', 'The question is empty', 'Type a question');
  const reserved = reservedStrings(info);
  refuseReserved(q, reserved, 'Your question');
  for (const chip of chips) refuseReserved(chip.text, reserved, `The ${chipLabel(chip).replace(/^./, (c) => c.toLowerCase())}`);
  const { window, maxNewTokens } = budget(info, options);
  // Attached code never takes more than half of what the prompt may hold: the question and some history need room too.
  const contextBudget = Math.max(0, Math.min(options.contextTokens, Math.floor((window - maxNewTokens) / 2)));
  const { blocks, uses } = await fitContext(chips, contextBudget, (t) => backend.countTokens(t));
  return { question: q, content: blocks.length ? `${blocks.join('\n\n')}\n\n${q}` : q, context: uses };
}

/** Finished exchanges of the history that can go into a prompt (answers that failed are left out). */
function exchanges(history: readonly Turn[]): [ChatMessage, ChatMessage][] {
  const pairs: [ChatMessage, ChatMessage][] = [];
  for (let i = 0; i + 1 < history.length; i++) {
    const u = history[i]!, a = history[i + 1]!;
    if (u.role === 'user' && a.role === 'assistant') {
      if (a.stopReason !== 'error' && a.content.trim()) pairs.push([{ role: 'user', content: u.content }, { role: 'assistant', content: a.content }]);
      i++;
    }
  }
  return pairs;
}

async function render(backend: PromptChatBackend, format: PromptFormat, messages: ChatMessage[]): Promise<string> {
  if (format === 'codellama-instruct') return codeLlamaInstructPrompt(messages);
  try {
    return await backend.applyChatTemplate(messages);
  } catch (err) {
    // Some templates refuse a system role: give its text to the first user message instead.
    if (messages[0]?.role !== 'system' || !messages[1]) throw err;
    const [system, first, ...rest] = messages;
    return backend.applyChatTemplate([{ role: 'user', content: `${system.content}\n\n${first.content}` }, ...rest]);
  }
}

/**
 * The prompt for the next answer: the system message, as many of the latest exchanges as fit, and the user's message,
 * in the tokenizer's chat template when the model has one, else in Code Llama - Instruct's format. The oldest
 * exchanges are dropped, by tokens, until the prompt and the answer's room fit the context window.
 */
export async function buildChatPrompt(
  backend: ChatBackend, info: ChatModelInfo, history: readonly Turn[], user: Pick<UserMessage, 'content'>, options: PromptOptions,
): Promise<BuiltPrompt> {
  const format = promptFormat(info, backend);
  const reserved = reservedStrings(info);
  refuseReserved(options.systemPrompt, reserved, 'The system prompt (infill.chat.systemPrompt)');
  const { window, maxNewTokens } = budget(info, options);
  const pairs = exchanges(history);
  const build = async (drop: number) => {
    const messages: ChatMessage[] = [];
    if (options.systemPrompt.trim()) messages.push({ role: 'system', content: options.systemPrompt });
    for (const [u, a] of pairs.slice(drop)) messages.push(u, a);
    messages.push({ role: 'user', content: user.content });
    if (backend.kind === 'messages') {
      // The server renders the template: each message's content, counted, plus what a template adds around it.
      let tokens = 0;
      for (const m of messages) tokens += (await backend.countTokens(m.content)) + MESSAGE_OVERHEAD_TOKENS;
      return { prompt: '', messages, tokens };
    }
    const prompt = await render(backend, format, messages);
    return { prompt, messages, tokens: await backend.countTokens(prompt) };
  };
  const fits = (tokens: number) => tokens + maxNewTokens <= window;
  let best = await build(0);
  let dropped = 0;
  if (!fits(best.tokens)) {
    // The fewest exchanges to drop (prompt length falls as more are dropped): binary search.
    const none = await build(pairs.length);
    if (!fits(none.tokens)) {
      throw new InfillError('bad-arguments', `The question and its context take ${none.tokens} tokens; with ${maxNewTokens} for the answer that exceeds the model's window of ${window}`,
        `Ask a shorter question, attach less code, or lower infill.chat.contextTokens${format === 'messages' ? ' (or raise infill.remote.contextWindow, if the server\'s model takes more)' : ''}`);
    }
    let lo = 1, hi = pairs.length;
    best = none;
    dropped = pairs.length;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const candidate = await build(mid);
      if (fits(candidate.tokens)) { hi = mid; best = candidate; dropped = mid; } else lo = mid + 1;
    }
    if (dropped !== lo) { best = await build(lo); dropped = lo; }
  }
  return {
    prompt: best.prompt, messages: best.messages, addSpecialTokens: false, format, promptTokens: best.tokens, maxNewTokens, droppedTurns: dropped,
    stopStrings: format === 'codellama-instruct' ? [SPECIAL_TAGS[0]!] : [],
  };
}
