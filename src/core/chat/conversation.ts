import type { GenerationReport, ModelBackend } from '../backend/types';
import { InfillError } from '../errors';
import { describeContext } from './context';
import { buildChatPrompt, userMessage, type BuiltPrompt, type PromptOptions } from './prompt';
import type { AssistantTurn, ContextChip, Turn, UserTurn } from './types';

export interface ChatSettings extends PromptOptions {
  temperature: number;
  topP: number;
  seed?: number;
  /** Most turns (questions and answers) kept in the history. */
  historyLimit: number;
}

export const DEFAULT_SYSTEM_PROMPT =
  "You are Infill, a coding assistant that runs on the user's own machine. Answer briefly and precisely. " +
  'Put code in fenced Markdown code blocks that name their language.';

export const DEFAULT_CHAT_SETTINGS: ChatSettings = {
  systemPrompt: DEFAULT_SYSTEM_PROMPT,
  maxNewTokens: 512,
  contextTokens: 1500,
  temperature: 0.2,
  topP: 0.95,
  historyLimit: 50,
};

export interface AskOptions {
  signal?: AbortSignal;
  /** Each piece of the answer as the model writes it. */
  onText?: (delta: string) => void;
  /** The prompt is built (before generation starts): what went into it. */
  onPrompt?: (prompt: BuiltPrompt, user: UserTurn) => void;
}

export interface ChatAnswer {
  answer: string;
  user: UserTurn;
  prompt: BuiltPrompt;
  report: GenerationReport;
  /** A line for the user about the context that was cut, if any was. */
  contextNote: string | undefined;
}

/**
 * A conversation with a chat model, shared by the chat panel and `infill chat`: builds each prompt (template or Code
 * Llama - Instruct, or the messages for a server that applies its own template; context chips, old turns dropped by
 * tokens), streams the answer, keeps the history within its limit. The backend may be a function: each question then
 * goes to the backend it answers at that moment (the chat panel follows infill.backend and infill.chat.model).
 */
export class Conversation {
  private list: Turn[];
  private readonly backend: () => ModelBackend;

  constructor(
    backend: ModelBackend | (() => ModelBackend),
    private readonly settings: () => ChatSettings,
    turns: readonly Turn[] = [],
  ) {
    this.backend = typeof backend === 'function' ? backend : () => backend;
    this.list = [...turns];
  }

  get turns(): readonly Turn[] {
    return this.list;
  }

  get modelName(): string {
    return this.backend().name;
  }

  clear(): void {
    this.list = [];
  }

  /** Asks a question with optional attached code. A failed generation leaves the question and an `error` answer. */
  async ask(question: string, chips: readonly ContextChip[], options: AskOptions = {}): Promise<ChatAnswer> {
    const settings = this.settings();
    const backend = this.backend();
    const info = await backend.info();
    const fitted = await userMessage(backend, info, question, chips, settings);
    const user: UserTurn = {
      role: 'user',
      question: fitted.question,
      content: fitted.content,
      context: fitted.context,
    };
    const history = [...this.list];
    this.list.push(user);
    return this.answer(backend, history, user, settings, options);
  }

  /** Answers the last question again (the previous answer is dropped). */
  async regenerate(options: AskOptions = {}): Promise<ChatAnswer> {
    const lastUser = this.list
      .map((t, i) => [t, i] as const)
      .filter(([t]) => t.role === 'user')
      .pop();
    if (!lastUser)
      throw new InfillError('bad-arguments', 'There is no question to answer again', 'Ask a question first');
    const [user, at] = lastUser as readonly [UserTurn, number];
    this.list = this.list.slice(0, at + 1);
    return this.answer(this.backend(), this.list.slice(0, at), user, this.settings(), options);
  }

  private async answer(
    backend: ModelBackend,
    history: readonly Turn[],
    user: UserTurn,
    settings: ChatSettings,
    options: AskOptions,
  ): Promise<ChatAnswer> {
    const fail = (): void => {
      this.push({ role: 'assistant', content: '', stopReason: 'error' });
    };
    let prompt: BuiltPrompt;
    try {
      prompt = await buildChatPrompt(backend, await backend.info(), history, user, settings);
    } catch (err) {
      fail();
      throw err;
    }
    options.onPrompt?.(prompt, user);
    let report: GenerationReport;
    try {
      report = await backend.chat(
        prompt.messages,
        {
          maxNewTokens: prompt.maxNewTokens,
          temperature: settings.temperature,
          topP: settings.topP,
          seed: settings.seed ?? Math.floor(Math.random() * 2 ** 31),
          kind: 'chat',
        },
        options.signal,
        options.onText,
      );
    } catch (err) {
      fail();
      throw err;
    }
    // Meta strips contents too.
    const answer = report.text.trim();
    this.push({ role: 'assistant', content: answer, stopReason: report.stopReason });
    return { answer, user, prompt, report, contextNote: describeContext(user.context) };
  }

  private push(turn: AssistantTurn): void {
    this.list.push(turn);
    const limit = Math.max(2, this.settings().historyLimit);
    // Whole exchanges go: the history always starts with a question.
    while (this.list.length > limit) {
      this.list.shift();
      while (this.list[0] && this.list[0].role !== 'user') this.list.shift();
    }
  }
}
