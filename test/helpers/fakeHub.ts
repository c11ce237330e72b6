import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

/**
 * A loopback Hugging Face hub for tests: the hub's API (revision, paginated recursive tree with LFS sha256 and git
 * blob ids) and file layout (`/{repo}/resolve/{rev}/{path}`), with large files redirected (302) to a second server on
 * another port, as the hub redirects LFS files to its CDN. Both honour Range requests. Faults can be injected per file:
 * a connection cut after some bytes, a slow transfer, content that differs from the listing.
 */
export interface HubRequest {
  server: 'hub' | 'cdn';
  url: string;
  range?: string;
}

interface HubFile {
  content: Buffer;
  sha256: string;
  gitOid: string;
  lfs: boolean;
}

const LFS_THRESHOLD = 100_000;
export const FAKE_COMMIT = '0123456789abcdef0123456789abcdef01234567';

export class FakeHub {
  readonly requests: HubRequest[] = [];
  private readonly repos = new Map<string, Map<string, HubFile>>();
  /** Per repository path: cut the connection after this many bytes (once). */
  readonly cutAfter = new Map<string, number>();
  /** Per repository path: serve this content instead of the listed one. */
  readonly tamper = new Map<string, Buffer>();
  /** Delay between 64 KiB chunks of every file body, in ms. */
  slowMs = 0;
  /** Tree entries per page (the hub paginates with a Link header). */
  pageSize = 4;
  private hub!: http.Server;
  private cdn!: http.Server;
  endpoint = '';
  private cdnUrl = '';

  /** Serves every file under `dir` as repository `repo`. */
  addFolder(repo: string, dir: string): void {
    const files = new Map<string, HubFile>();
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        const p = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(p);
        else files.set(p, FakeHub.file(fs.readFileSync(path.join(dir, p))));
      }
    };
    walk('');
    this.repos.set(repo, files);
  }

  static file(content: Buffer): HubFile {
    return {
      content,
      sha256: createHash('sha256').update(content).digest('hex'),
      gitOid: createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex'),
      lfs: content.length >= LFS_THRESHOLD,
    };
  }

  fileOf(repo: string, p: string): Buffer {
    return this.repos.get(repo)!.get(p)!.content;
  }

  async start(): Promise<void> {
    this.hub = http.createServer((req, res) => this.handleHub(req, res));
    this.cdn = http.createServer((req, res) => this.handleCdn(req, res));
    for (const s of [this.hub, this.cdn]) await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    this.endpoint = `http://127.0.0.1:${(this.hub.address() as AddressInfo).port}`;
    this.cdnUrl = `http://127.0.0.1:${(this.cdn.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of [this.hub, this.cdn]) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  }

  private record(server: HubRequest['server'], req: http.IncomingMessage): void {
    this.requests.push({ server, url: req.url ?? '', ...(req.headers.range ? { range: req.headers.range } : {}) });
  }

  private handleHub(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.record('hub', req);
    const url = new URL(req.url ?? '/', this.endpoint);
    const parts = url.pathname.split('/').map(decodeURIComponent);
    const notFound = () => {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'Repository not found' }));
    };
    if (parts[1] === 'api' && parts[2] === 'models') {
      const repo = `${parts[3]}/${parts[4]}`;
      const files = this.repos.get(repo);
      if (!files) {
        notFound();
        return;
      }
      if (parts[5] === 'revision') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(
          JSON.stringify({
            id: repo,
            sha: FAKE_COMMIT,
            siblings: [...files.keys()].map((rfilename) => ({ rfilename })),
          }),
        );
        return;
      }
      if (parts[5] === 'tree') {
        const dirs = new Set(
          [...files.keys()].filter((p) => p.includes('/')).map((p) => p.slice(0, p.lastIndexOf('/'))),
        );
        const entries = [
          ...[...dirs].map((p) => ({ type: 'directory', oid: '0'.repeat(40), size: 0, path: p })),
          ...[...files].map(([p, f]) => ({
            type: 'file',
            path: p,
            oid: f.lfs ? 'f'.repeat(40) : f.gitOid,
            size: f.lfs ? 134 : f.content.length,
            ...(f.lfs ? { lfs: { oid: f.sha256, size: f.content.length, pointerSize: 134 } } : {}),
          })),
        ];
        const cursor = Number(url.searchParams.get('cursor') ?? 0);
        const page = entries.slice(cursor, cursor + this.pageSize);
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (cursor + this.pageSize < entries.length) {
          headers['Link'] =
            `<${this.endpoint}${url.pathname}?recursive=true&cursor=${cursor + this.pageSize}>; rel="next"`;
        }
        res.writeHead(200, headers).end(JSON.stringify(page));
        return;
      }
      notFound();
      return;
    }
    // /{owner}/{name}/resolve/{rev}/{path...}
    if (parts[3] === 'resolve') {
      const repo = `${parts[1]}/${parts[2]}`;
      const p = parts.slice(5).join('/');
      const f = this.repos.get(repo)?.get(p);
      if (!f) {
        res.writeHead(404).end('Entry not found');
        return;
      }
      if (f.lfs) {
        res
          .writeHead(302, {
            Location: `${this.cdnUrl}/blobs/${f.sha256}?repo=${encodeURIComponent(repo)}&path=${encodeURIComponent(p)}`,
          })
          .end();
        return;
      }
      this.serve(req, res, repo, p, f);
      return;
    }
    notFound();
  }

  private handleCdn(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.record('cdn', req);
    const url = new URL(req.url ?? '/', this.cdnUrl);
    const repo = url.searchParams.get('repo') ?? '';
    const p = url.searchParams.get('path') ?? '';
    const f = this.repos.get(repo)?.get(p);
    if (!f || !url.pathname.endsWith(f.sha256)) {
      res.writeHead(404).end();
      return;
    }
    this.serve(req, res, repo, p, f);
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse, _repo: string, p: string, f: HubFile): void {
    const content = this.tamper.get(p) ?? f.content;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    if (start >= content.length && m) {
      res.writeHead(416, { 'Content-Range': `bytes */${content.length}` }).end();
      return;
    }
    const body = content.subarray(start);
    res.writeHead(m ? 206 : 200, {
      'Content-Length': String(body.length),
      'Content-Type': 'application/octet-stream',
      ...(m ? { 'Content-Range': `bytes ${start}-${content.length - 1}/${content.length}` } : {}),
    });
    const cut = this.cutAfter.get(p);
    if (cut !== undefined) this.cutAfter.delete(p);
    let sent = 0;
    const CHUNK = 64 * 1024;
    const next = () => {
      if (res.destroyed) return;
      if (cut !== undefined && sent >= cut) {
        res.socket?.destroy();
        return;
      }
      if (sent >= body.length) {
        res.end();
        return;
      }
      const size = Math.min(CHUNK, body.length - sent, cut !== undefined ? cut - sent : CHUNK);
      res.write(body.subarray(sent, sent + size));
      sent += size;
      if (this.slowMs) setTimeout(next, this.slowMs);
      else setImmediate(next);
    };
    next();
  }
}
