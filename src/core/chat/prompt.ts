import { InfillError } from '../errors';
import { SPECIAL_TAGS, refuseReserved } from './codeLlamaInstruct';
import { chipLabel, fitContext } from './context';
import type { ChatFormat, ChatMessage, ModelBackend, ModelInfo } from '../backend/types';
import type { ContextChip, ContextUse, Turn } from './types';

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
  /** What the prompt is made of: the system message, the exchanges kept, the user's message. */
  messages: ChatMessage[];
  /** How the backend renders them (src/core/chat/render.ts for local models; a server renders its own). */
  format: ChatFormat;
  /** The rendered prompt's tokens: exact for a local model, an estimate for a server (its tokenizer is not here). */
  promptTokens: number;
  exactTokens: boolean;
  /** Room left for the answer (never more than asked). */
  maxNewTokens: number;
  /** Earlier exchanges (question and answer) left out because the window was full. */
  droppedTurns: number;
}

export interface UserMessage {
  question: string;
  content: string;
  context: ContextUse[];
}

/** Strings the user's text may not contain: the tokenizer's special tokens, and Llama's tags where the format uses them. */
export function reservedStrings(info: ModelInfo): string[] {
  const usesInstTags = info.chatFormat === 'codellama-instruct' || (info.chatTemplate ?? '').includes(SPECIAL_TAGS[0]!);
  return [
    ...new Set([...info.specialTokens.filter((t) => t.trim().length > 1), ...(usesInstTags ? SPECIAL_TAGS : [])]),
  ];
}

/** The window available to the prompt, and the answer's room in it. */
function budget(info: ModelInfo, options: PromptOptions): { window: number; maxNewTokens: number } {
  const window = Math.min(info.maxPositions, options.contextWindow ?? Infinity);
  return { window, maxNewTokens: Math.max(1, Math.min(options.maxNewTokens, Math.floor(window / 2))) };
}

/**
 * The user's message as sent to the model: the attached code (each chip fitted into the context budget) and the
 * question. Refuses reserved strings in the question and the code, as Meta's chat_completion refuses its special tags.
 */
export async function userMessage(
  backend: ModelBackend,
  info: ModelInfo,
  question: string,
  chips: readonly ContextChip[],
  options: PromptOptions,
): Promise<UserMessage> {
  const q = question.trim();
  if (!q) throw new InfillError('bad-arguments', 'The question is empty', 'Type a question');
  const reserved = reservedStrings(info);
  refuseReserved(q, reserved, 'Your question');
  for (const chip of chips)
    refuseReserved(chip.text, reserved, `The ${chipLabel(chip).replace(/^./, (c) => c.toLowerCase())}`);
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
    const u = history[i]!,
      a = history[i + 1]!;
    if (u.role === 'user' && a.role === 'assistant') {
      if (a.stopReason !== 'error' && a.content.trim())
        pairs.push([
          { role: 'user', content: u.content },
          { role: 'assistant', content: a.content },
        ]);
      i++;
    }
  }
  return pairs;
}

/**
 * The prompt for the next answer: the system message, as many of the latest exchanges as fit, and the user's message,
 * in the tokenizer's chat template when the model has one, else in Code Llama - Instruct's format. The oldest
 * exchanges are dropped, by tokens, until the prompt and the answer's room fit the context window.
 */
export async function buildChatPrompt(
  backend: ModelBackend,
  info: ModelInfo,
  history: readonly Turn[],
  user: Pick<UserMessage, 'content'>,
  options: PromptOptions,
): Promise<BuiltPrompt> {
  const format = info.chatFormat;
  const reserved = reservedStrings(info);
  refuseReserved(options.systemPrompt, reserved, 'The system prompt (infill.chat.systemPrompt)');
  const { window, maxNewTokens } = budget(info, options);
  const pairs = exchanges(history);
  const build = async (drop: number) => {
    const messages: ChatMessage[] = [];
    if (options.systemPrompt.trim()) messages.push({ role: 'system', content: options.systemPrompt });
    for (const [u, a] of pairs.slice(drop)) messages.push(u, a);
    messages.push({ role: 'user', content: user.content });
    return { messages, tokens: await backend.countTokens(messages) };
  };
  const fits = (tokens: number) => tokens + maxNewTokens <= window;
  let best = await build(0);
  let dropped = 0;
  if (!fits(best.tokens)) {
    // The fewest exchanges to drop (prompt length falls as more are dropped): binary search.
    const none = await build(pairs.length);
    if (!fits(none.tokens)) {
      throw new InfillError(
        'bad-arguments',
        `The question and its context take ${none.tokens} tokens; with ${maxNewTokens} for the answer that exceeds the model's window of ${window}`,
        `Ask a shorter question, attach less code, or lower infill.chat.contextTokens${format === 'server' ? " (or raise infill.remote.contextWindow, if the server's model takes more)" : ''}`,
      );
    }
    let lo = 1,
      hi = pairs.length;
    best = none;
    dropped = pairs.length;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const candidate = await build(mid);
      if (fits(candidate.tokens)) {
        hi = mid;
        best = candidate;
        dropped = mid;
      } else lo = mid + 1;
    }
    if (dropped !== lo) {
      best = await build(lo);
      dropped = lo;
    }
  }
  return {
    messages: best.messages,
    format,
    promptTokens: best.tokens,
    exactTokens: info.exactTokenCounts,
    maxNewTokens,
    droppedTurns: dropped,
  };
}
