import type { LookupOptions } from './promptLookup';
import type { SamplingOptions } from './sampling';

export type StopReason =
  'eos' | 'stop-token' | 'stop-string' | 'max-tokens' | 'deadline' | 'context-full' | 'aborted' | 'preempted';

export interface GenerateRequest {
  promptIds: readonly number[];
  maxNewTokens: number;
  sampling?: Partial<SamplingOptions>;
  /** Token ids that end generation besides the model's eos ids (e.g. the FIM end token). */
  stopTokenIds?: readonly number[];
  stopStrings?: readonly string[];
  /** Eos and stop tokens are masked out until this many tokens were generated (benchmarks, minimum lengths). */
  minNewTokens?: number;
  /** Wall-clock budget from the start of the request, in ms. */
  deadlineMs?: number;
  /** A newer request of the same kind preempts an older one that is still queued or running. */
  kind?: string;
  /** Decode generated ids as a continuation (no implicit leading space), as infilling needs. Default true. */
  continuation?: boolean;
  /** Prompt lookup decoding for greedy requests (see promptLookup.ts); `{ maxDraft: 0 }` turns it off. */
  lookup?: Partial<LookupOptions>;
  /** Called with each new piece of valid text as it is generated. */
  onText?: (delta: string) => void;
}

export interface GenerateResult {
  text: string;
  tokens: number[];
  stopReason: StopReason;
  promptTokens: number;
  /** Prompt tokens whose keys and values came from the previous request's cache. */
  reusedTokens: number;
  generatedTokens: number;
  timeToFirstTokenMs: number;
  totalMs: number;
  /** Decode speed after the first token. */
  tokensPerSecond: number;
}

/** The reason passed to abort() when a newer request of the same kind replaces this one. */
export class PreemptedError extends Error {
  constructor() {
    super('preempted by a newer request');
    this.name = 'PreemptedError';
  }
}
