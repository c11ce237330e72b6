import { InfillError } from '../errors';

/** Without the server's tokenizer, token budgets are counted as characters / 3 (code averages 3-4 characters a token). */
export const approxTokens = (s: string): number => Math.ceil(s.length / 3);

const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

/** How to reach an OpenAI-compatible server (vLLM, TGI, the llama.cpp server, Ollama, a hosted API). */
export interface RemoteConfig {
  /** e.g. http://gpu-box:8000/v1 (a URL without a path gets /v1). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** `suffix`: the server builds the FIM prompt from /v1/completions' suffix field; `raw`: Infill sends a FIM prompt in its model's format. */
  fimMode: 'suffix' | 'raw';
  /** Longest wait for the server's answer, and between two streamed chunks (default 30 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The base URL as requests use it: validated, no trailing slash, /v1 added when the URL has no path. */
export function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new InfillError(
      'bad-settings',
      `The remote server URL "${baseUrl}" is not a URL`,
      "Set infill.remote.baseUrl to the server's OpenAI-compatible address, e.g. http://localhost:8000/v1",
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InfillError(
      'bad-settings',
      `The remote server URL "${baseUrl}" is not http(s)`,
      'Use an http:// or https:// URL in infill.remote.baseUrl',
    );
  }
  const trimmed = url.toString().replace(/\/+$/, '');
  return url.pathname === '/' || url.pathname === '' ? `${trimmed}/v1` : trimmed;
}

/** The server's own words about an error, from the usual JSON shapes, else the start of the body. */
function serverMessage(body: string): string {
  try {
    const j = JSON.parse(body) as { error?: unknown; message?: unknown; detail?: unknown };
    const e = j.error;
    if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string')
      return (e as { message: string }).message;
    for (const v of [e, j.message, j.detail]) if (typeof v === 'string') return v;
  } catch {
    // Not JSON: the text itself.
  }
  return body.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** An HTTP error status as an error the user can act on. */
export function httpError(config: RemoteConfig, status: number, body: string, path: string): InfillError {
  const origin = new URL(normalizeBaseUrl(config.baseUrl)).origin;
  const said = serverMessage(body);
  const detail = `HTTP ${status}${said ? `: ${said}` : ''}`;
  if (status === 401 || status === 403) {
    return new InfillError(
      'remote-auth',
      `The remote server at ${origin} refused ${config.apiKey ? 'the API key' : 'the request without an API key'} (${detail})`,
      config.apiKey
        ? 'Set the right key with "Infill: Set Remote API Key"'
        : 'Set its API key with "Infill: Set Remote API Key"',
    );
  }
  if (status === 404) {
    return new InfillError(
      'remote-failed',
      `The remote server at ${origin} has no ${path} or no model "${config.model}" (${detail})`,
      'Check infill.remote.baseUrl (it usually ends in /v1) and infill.remote.model (the name the server serves)',
    );
  }
  if (status === 429)
    return new InfillError(
      'remote-failed',
      `The remote server at ${origin} is rate-limiting requests (${detail})`,
      "Wait a moment, or raise the server's limits",
    );
  if (status >= 400 && status < 500) {
    return new InfillError(
      'remote-failed',
      `The remote server at ${origin} rejected the request (${detail})`,
      path.endsWith('/completions') && !path.includes('chat') && config.fimMode === 'suffix'
        ? 'If the server does not support the suffix field, set infill.remote.fimMode to raw'
        : "Check infill.remote.model and the server's logs",
    );
  }
  return new InfillError(
    'remote-failed',
    `The remote server at ${origin} failed (${detail})`,
    "Try again; if it persists, see the server's logs",
  );
}

/** A request in flight: its response, and the timer that the caller re-arms while a stream is flowing. */
export interface RemoteCall {
  response: Response;
  /** Re-arms the idle timeout (call on every received chunk). */
  touch(): void;
  /** True when the idle timeout ended the request. */
  timedOut(): boolean;
  /** Stops the timer. */
  done(): void;
  signal: AbortSignal;
}

/** POSTs JSON to `<baseUrl><path>`; answers a non-2xx status, a network failure or a timeout with an InfillError. */
export async function postJson(
  config: RemoteConfig,
  path: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<RemoteCall> {
  const url = normalizeBaseUrl(config.baseUrl) + path;
  const timeoutMs = config.timeoutMs ?? 30000;
  const timeout = new AbortController();
  const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
  let timer = setTimeout(() => timeout.abort(), timeoutMs);
  const call = {
    touch: () => {
      clearTimeout(timer);
      timer = setTimeout(() => timeout.abort(), timeoutMs);
    },
    timedOut: () => timeout.signal.aborted && !signal?.aborted,
    done: () => clearTimeout(timer),
    signal: combined,
  };
  const timeoutError = () =>
    new InfillError(
      'remote-timeout',
      `The remote server at ${new URL(url).origin} did not answer within ${seconds(timeoutMs)}`,
      'Check that the server is up and not overloaded, or raise infill.remote.timeoutMs',
    );
  let response: Response;
  try {
    response = await (config.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        ...(config.apiKey ? { Authorization: `Bearer ${config.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      signal: combined,
    });
  } catch (err) {
    call.done();
    if (signal?.aborted) throw err;
    if (timeout.signal.aborted) throw timeoutError();
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new InfillError(
      'remote-failed',
      `Cannot reach the remote server at ${new URL(url).origin}${cause}`,
      'Check infill.remote.baseUrl and that the server is running',
      { cause: err },
    );
  }
  if (!response.ok) {
    let text = '';
    try {
      text = await response.text();
    } catch {
      // The body is only used for the message.
    }
    call.done();
    throw httpError(config, response.status, text, path);
  }
  return { response, ...call, timedOut: call.timedOut };
}

/** The InfillError for a request that the idle timeout ended. */
export function remoteTimeout(config: RemoteConfig): InfillError {
  const timeoutMs = config.timeoutMs ?? 30000;
  return new InfillError(
    'remote-timeout',
    `The remote server at ${new URL(normalizeBaseUrl(config.baseUrl)).origin} sent nothing for ${seconds(timeoutMs)}`,
    'Check that the server is up and not overloaded, or raise infill.remote.timeoutMs',
  );
}
