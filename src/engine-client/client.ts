import { fork, type ChildProcess } from 'node:child_process';
import type { LoadParams, ModelSummary } from '../core/engine/summary';
import {
  isServerMessage,
  type ClientMessage,
  type EngineMethod,
  type EngineMethods,
  type ServerMessage,
  type WireError,
} from '../protocol';
import { engineProcessEnv } from './processEnv';

export type EngineState = 'stopped' | 'starting' | 'loading' | 'ready' | 'generating' | 'error' | 'restarting';

export interface EngineStatus {
  state: EngineState;
  model: ModelSummary | undefined;
  lastTokensPerSecond: number | undefined;
  /** Why the state is error or restarting. */
  detail: string | undefined;
}

export interface EngineClientOptions {
  /** The bundled engine host script (dist/engine-host.js). */
  hostScript: string;
  /** Read when the engine (re)starts, so settings changes apply. */
  loadParams: () => LoadParams;
  /** Stop the host (releasing the model's memory) after this long without requests; 0 never. */
  idleMs: () => number;
  log: (level: 'info' | 'warn' | 'error', line: string) => void;
  onStatus?: (status: EngineStatus) => void;
  /** Delay before the n-th restart after a crash (n from 0). */
  backoffMs?: (attempt: number) => number;
}

/** An error from the engine host that the user can act on. */
export class EngineError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.fix ? `${wire.message}. ${wire.fix}` : wire.message);
    this.name = 'EngineError';
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  onText?: (delta: string) => void;
}

const defaultBackoff = (attempt: number) => Math.min(30000, 1000 * 2 ** attempt);

/**
 * The extension's side of the engine host: starts the child process lazily, loads the model, sends requests with
 * cancellation, restarts the host with backoff when it crashes, and stops it when idle. vscode-free.
 */
export class EngineClient {
  private child: ChildProcess | undefined;
  private loaded: Promise<ModelSummary> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private crashes = 0;
  private active = 0;
  private disposed = false;
  private status: EngineStatus = {
    state: 'stopped',
    model: undefined,
    lastTokensPerSecond: undefined,
    detail: undefined,
  };

  constructor(private readonly options: EngineClientOptions) {}

  get current(): EngineStatus {
    return this.status;
  }

  /** The engine host's process id while it runs. */
  get hostPid(): number | undefined {
    return this.child?.pid;
  }

  /** Sends a request, starting and loading the engine first if needed. Aborting the signal cancels it in the host. */
  async request<M extends Exclude<EngineMethod, 'load'>>(
    method: M,
    params: EngineMethods[M]['params'],
    signal?: AbortSignal,
    onText?: (delta: string) => void,
  ): Promise<EngineMethods[M]['result']> {
    if (this.disposed) throw new Error('the engine client was disposed');
    this.clearIdle();
    this.active++;
    try {
      await this.ensureLoaded();
      signal?.throwIfAborted();
      this.setStatus({ state: 'generating' });
      const result = await this.send(method, params, signal, onText);
      const tps = (result as { tokensPerSecond?: number } | null)?.tokensPerSecond;
      if (tps) this.setStatus({ lastTokensPerSecond: tps });
      return result;
    } finally {
      this.active--;
      if (this.active === 0 && this.child) {
        if (this.status.state === 'generating') this.setStatus({ state: 'ready' });
        this.armIdle();
      }
    }
  }

  /** Loads the model now (for "warm up" and for showing load progress). */
  ensureLoaded(): Promise<ModelSummary> {
    if (!this.loaded) {
      this.loaded = this.start();
      this.loaded.catch(() => {
        this.loaded = undefined;
      });
    }
    return this.loaded;
  }

  /** Stops the host; the next request starts a fresh one (model or settings changed). */
  restart(reason: string): void {
    this.options.log('info', `engine: restarting (${reason})`);
    this.stop('stopped');
  }

  dispose(): void {
    this.disposed = true;
    this.stop('stopped');
  }

  private async start(): Promise<ModelSummary> {
    clearTimeout(this.restartTimer);
    this.setStatus({ state: 'starting', detail: undefined });
    const child = fork(this.options.hostScript, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
      execArgv: [],
      env: engineProcessEnv(process.env),
    });
    this.child = child;
    const started = Date.now();
    child.stdout?.on('data', (d: Buffer) => this.options.log('info', `engine host: ${d.toString().trimEnd()}`));
    child.stderr?.on('data', (d: Buffer) => this.options.log('warn', `engine host: ${d.toString().trimEnd()}`));
    const ready = new Promise<void>((resolve, reject) => {
      child.on('message', (m: unknown) => {
        if (!isServerMessage(m)) {
          this.options.log(
            'warn',
            `engine: dropped a malformed message from the host: ${JSON.stringify(m).slice(0, 200)}`,
          );
          return;
        }
        if (m.type === 'ready') resolve();
        else this.receive(m);
      });
      child.on('exit', (code, signal) => {
        reject(new Error(`the engine host exited (${signal ?? `code ${code}`}) before it was ready`));
        this.onExit(child, code, signal, Date.now() - started);
      });
      child.on('error', (err) => reject(err));
    });
    await ready;
    this.setStatus({ state: 'loading' });
    const params = this.options.loadParams();
    this.options.log(
      'info',
      `engine: loading ${params.modelDir} (variant ${params.variant}, provider ${params.provider})`,
    );
    const t0 = Date.now();
    try {
      const model = await this.send('load', params);
      this.options.log('info', `engine: ${model.name} ready in ${Date.now() - t0} ms; ${model.providerNote}`);
      this.setStatus({ state: 'ready', model });
      this.armIdle();
      return model;
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      this.options.log('error', `engine: cannot load the model: ${detail}`);
      this.stop('error', detail);
      throw err;
    }
  }

  private send<M extends EngineMethod>(
    method: M,
    params: EngineMethods[M]['params'],
    signal?: AbortSignal,
    onText?: (delta: string) => void,
  ): Promise<EngineMethods[M]['result']> {
    const child = this.child;
    if (!child?.connected) return Promise.reject(new Error('the engine host is not running'));
    const id = this.nextId++;
    return new Promise<EngineMethods[M]['result']>((resolve, reject) => {
      const onAbort = () => this.post(child, { type: 'cancel', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (v) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(v as EngineMethods[M]['result']);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
        onText,
      });
      this.post(child, { type: 'request', id, method, params });
    });
  }

  private post(child: ChildProcess, message: ClientMessage): void {
    if (child.connected) child.send(message);
  }

  private receive(m: Exclude<ServerMessage, { type: 'ready' }>): void {
    if (m.type === 'log') {
      this.options.log(m.level, m.line);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'text') {
      p.onText?.(m.delta);
      return;
    }
    this.pending.delete(m.id);
    if (m.type === 'response') p.resolve(m.result);
    else p.reject(new EngineError(m.error));
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null, aliveMs: number): void {
    if (child !== this.child) return; // an old host we stopped on purpose
    this.child = undefined;
    this.loaded = undefined;
    this.clearIdle();
    const why = `the engine host ${signal ? `was killed (${signal})` : `exited with code ${code}`}`;
    for (const p of this.pending.values()) p.reject(new Error(why));
    this.pending.clear();
    if (this.disposed) return;
    if (aliveMs > 60000) this.crashes = 0;
    const delay = (this.options.backoffMs ?? defaultBackoff)(this.crashes++);
    this.options.log('error', `engine: ${why}; restarting in ${Math.round(delay / 1000)} s`);
    this.setStatus({ state: 'restarting', detail: why });
    this.restartTimer = setTimeout(() => {
      this.ensureLoaded().catch(() => undefined);
    }, delay);
  }

  private stop(state: 'stopped' | 'error', detail?: string): void {
    clearTimeout(this.restartTimer);
    this.clearIdle();
    const child = this.child;
    this.child = undefined;
    this.loaded = undefined;
    for (const p of this.pending.values()) p.reject(new Error('the engine was stopped'));
    this.pending.clear();
    if (child && child.exitCode === null) child.kill();
    this.setStatus({ state, model: state === 'stopped' ? undefined : this.status.model, detail });
  }

  private armIdle(): void {
    this.clearIdle();
    const ms = this.options.idleMs();
    if (ms > 0) {
      this.idleTimer = setTimeout(() => {
        this.options.log(
          'info',
          `engine: idle for ${Math.round(ms / 1000)} s; stopping it to release the model's memory`,
        );
        this.stop('stopped');
      }, ms);
      this.idleTimer.unref();
    }
  }

  private clearIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private setStatus(change: Partial<EngineStatus>): void {
    this.status = { ...this.status, ...change };
    this.options.onStatus?.(this.status);
  }
}
