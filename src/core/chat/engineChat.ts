import type { Engine } from '../engine';
import { generateWithEngine } from '../completion/engineBackend';
import type { ChatModelInfo, PromptChatBackend } from './types';

/** What chat needs of an in-process engine's tokenizer (the engine host answers `chatInfo` with this). */
export function chatInfoOf(engine: Engine): ChatModelInfo {
  const t = engine.tokenizer;
  return {
    hasChatTemplate: t.chatTemplate !== undefined,
    chatTemplate: t.chatTemplate,
    specialTokens: [...t.inner.all_special_tokens],
    maxPositions: engine.info.config.maxPositions,
  };
}

/** The engine in this process as a chat backend (the CLI, tests). */
export function engineChatBackend(engine: Engine): PromptChatBackend {
  return {
    kind: 'prompt',
    name: engine.info.name,
    info: () => Promise.resolve(chatInfoOf(engine)),
    countTokens: (text) => Promise.resolve(engine.tokenizer.encode(text).length),
    applyChatTemplate: (messages) => Promise.resolve(engine.tokenizer.applyChatTemplate(messages)),
    generate: (params, signal, onText) => generateWithEngine(engine, params, signal, onText),
  };
}
