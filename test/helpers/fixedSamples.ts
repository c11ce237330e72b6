import type {
  ChatFormat,
  ChatMessage,
  GenerationReport,
  ModelBackend,
  ModelInfo,
  SamplingParams,
} from '../../src/core/backend/types';

/** A ModelInfo for harness and prompt tests: a base model (completion prompts) unless another chat format is named. */
export function modelInfo(chatFormat: ChatFormat = 'codellama-instruct'): ModelInfo {
  return {
    name: 'fixed samples',
    chatFormat,
    chatTemplate: chatFormat === 'chat-template' ? '{{ messages }}' : undefined,
    specialTokens: [],
    maxPositions: 4096,
    exactTokenCounts: chatFormat !== 'server',
    continuesAssistant: chatFormat !== 'server',
  };
}

const report = (text: string): GenerationReport => ({
  text,
  stopReason: 'eos',
  promptTokens: 1,
  generatedTokens: 1,
  totalMs: 0,
});

export interface SeenCall {
  /** The completion prompt, or the last user message of a chat call. */
  prompt: string;
  messages?: readonly ChatMessage[];
  params: SamplingParams;
}

/**
 * The samples a model would have written, one per call (generate or chat), as a ModelBackend: the fixed candidate
 * sets the harness tests run for real in the sandbox. `prompts` records what each call was asked, `calls` how.
 * It stands at the model boundary only: the harness, the prompts and the sandbox under test are the real ones.
 */
export function fixedSamples(
  samples: string[],
  chatFormat?: ChatFormat,
  beforeEach?: () => void,
): ModelBackend & { prompts: string[]; calls: SeenCall[] } {
  const calls: SeenCall[] = [];
  const prompts: string[] = [];
  const answer = (call: SeenCall) => {
    beforeEach?.();
    calls.push(call);
    prompts.push(call.prompt);
    return Promise.resolve(report(samples[calls.length - 1] ?? ''));
  };
  return {
    name: 'fixed samples',
    prompts,
    calls,
    info: () => Promise.resolve(modelInfo(chatFormat)),
    countTokens: (input) =>
      Promise.resolve(typeof input === 'string' ? input.length : input.reduce((n, m) => n + m.content.length, 0)),
    complete: () => Promise.reject(new Error('the harness does not infill')),
    generate: (params) => answer({ prompt: params.prompt, params }),
    chat: (messages, params) =>
      answer({ prompt: [...messages].reverse().find((m) => m.role === 'user')?.content ?? '', messages, params }),
  };
}
