import { InfillError } from '../errors';
import type { RepoFile } from './variantFiles';

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

/** How to reach the hub: its endpoint (a mirror works), offline mode, an access token for gated or private repositories. */
export interface HubOptions {
  endpoint: string;
  offline?: boolean;
  token?: string;
  /** For tests and proxies; the global fetch otherwise. */
  fetch?: typeof fetch;
}

/** The endpoint to use: the setting or flag, else HF_ENDPOINT from the environment, else huggingface.co. No trailing slash. */
export function resolveHubEndpoint(setting: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const raw = (setting?.trim() || env['HF_ENDPOINT']?.trim() || DEFAULT_HUB_ENDPOINT).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InfillError(
      'bad-settings',
      `The hub endpoint "${raw}" is not a URL`,
      'Set infill.hub.endpoint (or --endpoint, HF_ENDPOINT) to a URL such as https://huggingface.co',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InfillError(
      'bad-settings',
      `The hub endpoint "${raw}" is not an http(s) URL`,
      'Use an https:// URL for the hub or its mirror',
    );
  }
  return raw;
}

/** Refuses any network use in offline mode, naming what was about to be fetched. */
export function assertOnline(options: HubOptions, what: string): void {
  if (options.offline) {
    throw new InfillError(
      'offline',
      `Offline mode is on, so Infill will not download ${what}`,
      'Turn off infill.hub.offline (or drop --offline), or copy a model folder onto this machine and choose it with Infill: Select Model',
    );
  }
}

const encodeRepo = (repo: string) => repo.split('/').map(encodeURIComponent).join('/');

/** The download URL of one file at a revision (the hub answers with the file, or a redirect to its CDN). */
export function hubFileUrl(endpoint: string, repo: string, revision: string, path: string): string {
  return `${endpoint}/${encodeRepo(repo)}/resolve/${encodeURIComponent(revision)}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

function checkRepoName(repo: string): void {
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) {
    throw new InfillError(
      'bad-arguments',
      `"${repo}" is not a Hugging Face repository name`,
      'Give it as owner/name, e.g. onnx-community/Qwen2.5-Coder-0.5B-Instruct',
    );
  }
}

/** fetch with the hub's errors turned into ones the user can act on. */
export async function hubFetch(options: HubOptions, url: string, init: RequestInit, what: string): Promise<Response> {
  const headers = new Headers(init.headers);
  if (options.token) headers.set('Authorization', `Bearer ${options.token}`);
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, { ...init, headers, redirect: 'follow' });
  } catch (err) {
    if (init.signal?.aborted) throw init.signal.reason instanceof Error ? init.signal.reason : err;
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new InfillError(
      'download-failed',
      `Cannot reach ${new URL(url).origin} for ${what}${cause}`,
      'Check the network, or set infill.hub.endpoint (--endpoint, HF_ENDPOINT) to a mirror you can reach',
      { cause: err },
    );
  }
  if (res.ok || res.status === 206 || res.status === 416) return res;
  await res.body?.cancel().catch(() => undefined);
  if (res.status === 401 || res.status === 403) {
    throw new InfillError(
      'download-failed',
      `The hub refused access to ${what} (HTTP ${res.status})`,
      'The repository is gated or private: accept its license on the hub and set HF_TOKEN to an access token, or pick another model',
    );
  }
  if (res.status === 404) {
    throw new InfillError(
      'model-not-found',
      `${what} was not found on ${options.endpoint} (HTTP 404)`,
      'Check the repository name and revision (infill models list shows the catalog), or the mirror in infill.hub.endpoint',
    );
  }
  throw new InfillError(
    'download-failed',
    `The hub answered HTTP ${res.status} for ${what}`,
    'Try again later, or use a mirror (infill.hub.endpoint)',
  );
}

async function readJson(res: Response, what: string): Promise<unknown> {
  try {
    return await res.json();
  } catch (err) {
    throw new InfillError(
      'download-failed',
      `The hub sent a listing for ${what} that is not JSON`,
      'Check infill.hub.endpoint: it must be a Hugging Face hub or a mirror of its API',
      { cause: err },
    );
  }
}

/** The commit a revision (branch, tag or commit) points at, so that every file comes from the same commit. */
export async function resolveRevision(
  options: HubOptions,
  repo: string,
  revision: string,
  signal?: AbortSignal,
): Promise<string> {
  checkRepoName(repo);
  assertOnline(options, repo);
  const url = `${options.endpoint}/api/models/${encodeRepo(repo)}/revision/${encodeURIComponent(revision)}`;
  const body = (await readJson(await hubFetch(options, url, { signal }, `${repo}@${revision}`), repo)) as {
    sha?: unknown;
  };
  return typeof body.sha === 'string' && body.sha ? body.sha : revision;
}

interface TreeEntry {
  type?: string;
  path?: string;
  size?: number;
  oid?: string;
  lfs?: { oid?: string; size?: number };
}

/** Every file of the repository at a revision, with sizes and checksums (the hub's tree API, all pages). */
export async function listRepoFiles(
  options: HubOptions,
  repo: string,
  revision: string,
  signal?: AbortSignal,
): Promise<RepoFile[]> {
  checkRepoName(repo);
  assertOnline(options, repo);
  const files: RepoFile[] = [];
  let url: string | undefined =
    `${options.endpoint}/api/models/${encodeRepo(repo)}/tree/${encodeURIComponent(revision)}?recursive=true`;
  while (url) {
    const res = await hubFetch(options, url, { signal }, `the file list of ${repo}`);
    const entries = await readJson(res, repo);
    if (!Array.isArray(entries)) {
      throw new InfillError(
        'download-failed',
        `The hub's file list for ${repo} is not a list`,
        'Check infill.hub.endpoint: it must be a Hugging Face hub or a mirror of its API',
      );
    }
    for (const e of entries as TreeEntry[]) {
      if (e.type !== 'file' || typeof e.path !== 'string') continue;
      const size = e.lfs?.size ?? e.size;
      if (typeof size !== 'number') continue;
      files.push({
        path: e.path,
        size,
        ...(e.lfs?.oid ? { sha256: e.lfs.oid.replace(/^sha256:/, '') } : e.oid ? { gitOid: e.oid } : {}),
      });
    }
    const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
    url = next ? new URL(next[1]!, url).toString() : undefined;
  }
  return files;
}
