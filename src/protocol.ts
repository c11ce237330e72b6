/**
 * The one message protocol between the extension (client) and the engine host process (server), declared once and
 * imported by both sides. Messages travel over Node's IPC channel (child_process.fork). The envelopes are declared here;
 * what they carry (requests, reports) is the core's (src/core/backend, src/core/engine/summary).
 */
import type {
  ChatMessage,
  CompleteParams,
  GenerateParams,
  GenerationReport,
  ModelInfo,
  SamplingParams,
} from './core/backend/types';
import type { LoadParams, ModelSummary } from './core/engine/summary';
import type { InfillErrorCode } from './core/errors';

/** Request methods: what the client may ask, and what each answers. */
export interface EngineMethods {
  load: { params: LoadParams; result: ModelSummary };
  /** The loaded model as a ModelBackend (src/core/backend): each of its methods is one request. */
  info: { params: Record<string, never>; result: ModelInfo };
  countTokens: { params: { input: string | ChatMessage[] }; result: number };
  complete: { params: CompleteParams; result: GenerationReport };
  generate: { params: GenerateParams; result: GenerationReport };
  chat: { params: { messages: ChatMessage[]; sampling: SamplingParams }; result: GenerationReport };
  /** Drops the kept KV cache. */
  clearCache: { params: Record<string, never>; result: null };
  /** Generation counts since load. */
  stats: {
    params: Record<string, never>;
    result: { generations: number; preempted: number; aborted: number; maxConcurrent: number };
  };
}
export type EngineMethod = keyof EngineMethods;

export interface WireError {
  message: string;
  /** Present when the error is the user's to fix (bad model folder, provider...). */
  code?: InfillErrorCode;
  fix?: string;
}

export type ClientMessage =
  | { type: 'request'; id: number; method: EngineMethod; params: EngineMethods[EngineMethod]['params'] }
  | { type: 'cancel'; id: number };

export type ServerMessage =
  | { type: 'response'; id: number; result: EngineMethods[EngineMethod]['result'] }
  | { type: 'error'; id: number; error: WireError }
  /** Streamed text of a running request. */
  | { type: 'text'; id: number; delta: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; line: string }
  | { type: 'ready' };

const METHODS: readonly EngineMethod[] = [
  'load',
  'info',
  'countTokens',
  'complete',
  'generate',
  'chat',
  'clearCache',
  'stats',
];

/** Checks a message received from the other side; anything else is dropped and logged by the receiver. */
export function isClientMessage(m: unknown): m is ClientMessage {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  if (typeof o['id'] !== 'number') return false;
  if (o['type'] === 'cancel') return true;
  return (
    o['type'] === 'request' &&
    METHODS.includes(o['method'] as EngineMethod) &&
    typeof o['params'] === 'object' &&
    o['params'] !== null
  );
}

export function isServerMessage(m: unknown): m is ServerMessage {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  switch (o['type']) {
    case 'ready':
      return true;
    case 'log':
      return typeof o['line'] === 'string';
    case 'response':
      return typeof o['id'] === 'number';
    case 'error':
      return typeof o['id'] === 'number' && typeof o['error'] === 'object';
    case 'text':
      return typeof o['id'] === 'number' && typeof o['delta'] === 'string';
    default:
      return false;
  }
}
