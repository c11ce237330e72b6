/**
 * The engine host: a child process that owns the model, so inference never runs on the extension host's thread and a
 * native crash takes down only this process. Started by the extension with child_process.fork.
 */
import * as ort from 'onnxruntime-node';
import { engineBackend } from '../core/backend/engineBackend';
import type { ModelBackend } from '../core/backend/types';
import { Engine } from '../core/engine';
import { fimSelfCheck, selfCheckLine } from '../core/engine/selfCheck';
import { summarize } from '../core/engine/summary';
import { InfillError } from '../core/errors';
import {
  isClientMessage,
  type ClientMessage,
  type EngineMethods,
  type ServerMessage,
  type WireError,
} from '../protocol';

ort.env.logLevel = 'error';

let engine: Engine | undefined;
let backend: ModelBackend | undefined;
const running = new Map<number, AbortController>();

function send(message: ServerMessage): void {
  process.send?.(message);
}

function toWire(err: unknown): WireError {
  if (err instanceof InfillError) return { message: err.message, code: err.code, fix: err.fix };
  return { message: err instanceof Error ? err.message : String(err) };
}

function requireEngine(): Engine {
  if (!engine) throw new Error('no model is loaded');
  return engine;
}

function requireBackend(): ModelBackend {
  if (!backend) throw new Error('no model is loaded');
  return backend;
}

type Handler<M extends keyof EngineMethods> = (
  params: EngineMethods[M]['params'],
  id: number,
  signal: AbortSignal,
) => Promise<EngineMethods[M]['result']>;

const handlers: { [M in keyof EngineMethods]: Handler<M> } = {
  async load(params) {
    const previous = engine;
    engine = undefined;
    backend = undefined;
    await previous?.dispose();
    engine = await Engine.load({ ...params, log: (line) => send({ type: 'log', level: 'info', line }) });
    backend = engineBackend(engine);
    const summary = summarize(engine);
    if (params.selfCheck) {
      summary.selfCheck = await fimSelfCheck(engine);
      send({ type: 'log', level: summary.selfCheck.ok ? 'info' : 'warn', line: selfCheckLine(summary.selfCheck) });
    }
    return summary;
  },
  info() {
    return requireBackend().info();
  },
  countTokens(params) {
    return requireBackend().countTokens(params.input);
  },
  complete(params, id, signal) {
    return requireBackend().complete(params, signal, (delta) => send({ type: 'text', id, delta }));
  },
  generate(params, id, signal) {
    return requireBackend().generate(params, signal, (delta) => send({ type: 'text', id, delta }));
  },
  chat(params, id, signal) {
    return requireBackend().chat(params.messages, params.sampling, signal, (delta) =>
      send({ type: 'text', id, delta }),
    );
  },
  clearCache() {
    requireEngine().clearCache();
    return Promise.resolve(null);
  },
  stats() {
    return Promise.resolve({ ...requireEngine().stats });
  },
};

async function handle(message: ClientMessage): Promise<void> {
  if (message.type === 'cancel') {
    running.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(message.id, controller);
  try {
    const handler = handlers[message.method] as Handler<typeof message.method>;
    const result = await handler(message.params, message.id, controller.signal);
    send({ type: 'response', id: message.id, result });
  } catch (err) {
    send({ type: 'error', id: message.id, error: toWire(err) });
  } finally {
    running.delete(message.id);
  }
}

process.on('message', (message: unknown) => {
  if (!isClientMessage(message)) {
    send({
      type: 'log',
      level: 'warn',
      line: `engine host: dropped a malformed message: ${JSON.stringify(message).slice(0, 200)}`,
    });
    return;
  }
  void handle(message);
});

// The extension host went away: nothing left to serve.
process.on('disconnect', () => {
  void (engine?.dispose() ?? Promise.resolve()).finally(() => process.exit(0));
});

send({ type: 'ready' });
