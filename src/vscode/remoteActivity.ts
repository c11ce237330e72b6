import * as vscode from 'vscode';
import { InfillError } from '../core/errors';
import type { GenerationReport } from '../core/backend/types';

/** What the status bar shows of the remote backend. */
export interface RemoteStatus {
  state: 'ready' | 'generating' | 'error';
  /** infill.remote.model ('' when unset). */
  model: string;
  /** The server's origin, when the URL is valid. */
  server: string | undefined;
  /** The last failure (or the missing setting), while it stands. */
  detail: string | undefined;
  lastTokensPerSecond: number | undefined;
}

/**
 * The requests in flight to the remote server and how the last one ended, for the status bar: a failure stands until a
 * request succeeds or the remote settings (or the key) change; a cancelled request changes nothing.
 */
export class RemoteActivity implements vscode.Disposable {
  private running = 0;
  private failure: string | undefined;
  private speed: number | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  get state(): Pick<RemoteStatus, 'state' | 'detail' | 'lastTokensPerSecond'> {
    return {
      state: this.running > 0 ? 'generating' : this.failure ? 'error' : 'ready',
      detail: this.failure,
      lastTokensPerSecond: this.speed,
    };
  }

  async track(run: () => Promise<GenerationReport>): Promise<GenerationReport> {
    this.running++;
    this.emitter.fire();
    try {
      const report = await run();
      if (report.stopReason !== 'aborted' && report.stopReason !== 'deadline' && report.stopReason !== 'preempted') {
        this.failure = undefined;
        if (report.tokensPerSecond !== undefined && report.tokensPerSecond > 0) this.speed = report.tokensPerSecond;
      }
      return report;
    } catch (err) {
      this.failure = err instanceof InfillError ? err.toLine() : err instanceof Error ? err.message : String(err);
      throw err;
    } finally {
      this.running--;
      this.emitter.fire();
    }
  }

  /** The settings or the key changed: what failed before says nothing about the next request. */
  reset(): void {
    this.failure = undefined;
    this.speed = undefined;
    this.emitter.fire();
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
