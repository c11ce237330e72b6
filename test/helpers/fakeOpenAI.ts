import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback OpenAI-compatible server for tests (a boundary Infill does not own: vLLM, TGI, llama.cpp, Ollama speak
 * this protocol). Each test sets how it answers; every request is recorded, and so is each response the client closed
 * before it was finished (an aborted stream).
 */
export type Handler = (req: http.IncomingMessage, body: Record<string, unknown>, res: http.ServerResponse) => void;

export interface SeenRequest {
  url: string;
  auth?: string;
  body: Record<string, unknown>;
}

export class FakeOpenAIServer {
  handler: Handler = (_req, _body, res) => {
    res.writeHead(500).end('no handler set');
  };
  readonly seen: SeenRequest[] = [];
  /** Responses the client closed before they were finished. */
  closed = 0;
  /** e.g. http://127.0.0.1:PORT (no /v1: the client adds it to a URL without a path). */
  base = '';
  private server: http.Server | undefined;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => {
        data += c.toString();
      });
      req.on('end', () => {
        const body = JSON.parse(data || '{}') as Record<string, unknown>;
        this.seen.push({ url: req.url ?? '', auth: req.headers.authorization, body });
        res.on('close', () => {
          if (!res.writableFinished) this.closed++;
        });
        this.handler(req, body, res);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Forgets the requests seen so far. */
  reset(): void {
    this.seen.length = 0;
    this.closed = 0;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}

/**
 * Answers with server-sent events, one per `delayMs`, then `[DONE]` (`done`), a cut connection (`cut`), or nothing more
 * while the connection stays open (`hang`).
 */
export function sse(
  res: http.ServerResponse,
  events: unknown[],
  delayMs: number,
  end: 'done' | 'cut' | 'hang' = 'done',
): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  let i = 0;
  const next = () => {
    if (res.destroyed) return;
    if (i < events.length) {
      res.write(`data: ${JSON.stringify(events[i++])}\n\n`);
      setTimeout(next, delayMs);
    } else if (end === 'done') {
      res.end('data: [DONE]\n\n');
    } else if (end === 'cut') {
      res.socket?.destroy();
    }
  };
  next();
}

/** One streamed chat chunk with a piece of the answer. */
export const delta = (content: string, finish: string | null = null) => ({
  choices: [{ index: 0, delta: { content }, finish_reason: finish }],
});
