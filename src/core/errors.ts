/** An error the user can act on: what went wrong and how to fix it. Shown as one line, without a stack trace. */
export class InfillError extends Error {
  constructor(
    readonly code: InfillErrorCode,
    message: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'InfillError';
  }

  /** One line for a terminal or a notification: the problem, then the fix. */
  toLine(): string {
    return `${this.message}. ${this.fix}`;
  }
}

export type InfillErrorCode =
  | 'bad-arguments'
  | 'file-not-found'
  | 'position-out-of-range'
  | 'model-not-found'
  | 'model-corrupt'
  | 'tokenizer-mismatch'
  | 'no-fim-support'
  | 'provider-unavailable'
  // Hub downloads (src/core/models)
  | 'offline'
  | 'download-failed'
  | 'checksum-mismatch'
  | 'disk-full'
  | 'model-too-large'
  | 'cancelled'
  // The remote OpenAI-compatible backend (src/core/remote)
  | 'remote-auth'
  | 'remote-failed'
  | 'remote-timeout'
  | 'bad-settings'
  // Docstrings (src/core/docstring)
  | 'no-definition'
  | 'unsupported-language';
