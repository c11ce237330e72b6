import type { ModelBackend } from '../core/backend/types';
import type { EngineClient } from '../engine-client/client';
import { clientBackend } from '../engine-client/clientBackend';
import type { ChatEngines } from './chatModel';
import type { RemoteBackend } from './remote';

/**
 * The one place the editor picks who answers: the OpenAI-compatible server when infill.backend is openai, else the
 * engine host (chat's own when infill.chat.model names another model). Asked at each request, so a settings change
 * applies to the next one.
 */
export class Backends {
  private readonly local: ModelBackend;

  constructor(
    client: EngineClient,
    private readonly chatEngines: ChatEngines,
    private readonly remote: RemoteBackend,
  ) {
    this.local = clientBackend(client);
  }

  /** True when requests go to the remote server (code leaves the machine). */
  get remoteEnabled(): boolean {
    return this.remote.enabled;
  }

  /** Inline completion, docstrings and Generate Tests. */
  main(): ModelBackend {
    return this.remote.enabled ? this.remote.backend() : this.local;
  }

  /** The chat panel. */
  chat(): ModelBackend {
    return this.remote.enabled ? this.remote.backend() : clientBackend(this.chatEngines.current());
  }
}
