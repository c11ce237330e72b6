import * as vscode from 'vscode';
import { EngineClient } from '../engine-client/client';
import { readSettings, setting } from './settings';

/** The model folder chat uses: infill.chat.model, else the completion model, else the shipped one. */
export function chatModelDir(shippedModel: string): string {
  const chat = setting('chat.model').trim();
  return chat || readSettings().modelPath || shippedModel;
}

/**
 * The engine chat talks to: the completion engine when chat uses the same model (one process, one copy of the
 * weights), else a second engine host of its own, started on first use and stopped when the setting changes back.
 */
export class ChatEngines implements vscode.Disposable {
  private own: { dir: string; client: EngineClient } | undefined;

  constructor(
    private readonly completion: EngineClient,
    private readonly shippedModel: string,
    private readonly create: (modelDir: () => string) => EngineClient,
  ) {}

  current(): EngineClient {
    const dir = chatModelDir(this.shippedModel);
    const completionDir = readSettings().modelPath || this.shippedModel;
    if (dir === completionDir) {
      this.release();
      return this.completion;
    }
    if (this.own?.dir !== dir) {
      this.release();
      this.own = { dir, client: this.create(() => chatModelDir(this.shippedModel)) };
    }
    return this.own.client;
  }

  /** Settings of the engines changed: the chat engine starts afresh on next use. */
  restart(reason: string): void {
    this.own?.client.restart(reason);
  }

  private release(): void {
    this.own?.client.dispose();
    this.own = undefined;
  }

  dispose(): void {
    this.release();
  }
}
