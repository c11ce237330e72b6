import * as fs from 'node:fs';
import * as path from 'node:path';
import { InfillError } from '../errors';
import { formatBytes } from './catalog';
import { checksumOf, hashFilePrefix, startHash } from './checksum';
import { assertOnline, hubFetch, hubFileUrl, listRepoFiles, resolveRevision, type HubOptions } from './hubClient';
import { MANIFEST_NAME, readManifest, writeManifest, type ModelManifest } from './manifest';
import {
  availableVariants,
  planVariantFiles,
  REQUIRED_SUPPORT_FILES,
  type DownloadVariant,
  type PlannedFile,
} from './variantFiles';

export interface DownloadProgress {
  /** The file being transferred (its path in the model folder). */
  file: string;
  fileIndex: number;
  fileCount: number;
  /** Bytes on disk so far, counting what earlier attempts left. */
  bytesDone: number;
  bytesTotal: number;
}

export interface DownloadOptions extends HubOptions {
  repo: string;
  /** Branch, tag or commit; default main. */
  revision?: string;
  /** `auto`: the first of q8, q4, fp16, fp32 that the repository has. */
  variant?: DownloadVariant | 'auto';
  /** The model folder to create. Files are gathered in `<dest>.partial/` and the folder is renamed once all are verified. */
  dest: string;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Free bytes on the disk that holds `dir` (statfs by default; tests pass a limit). */
  freeBytes?: (dir: string) => Promise<number>;
  /**
   * Called with the planned files before anything is fetched: throws to refuse the download (the memory fit check,
   * src/core/hardware/fit.ts; `--force` leaves it out).
   */
  beforeFetch?: (variant: DownloadVariant, files: readonly PlannedFile[]) => void;
  /** Give up on a file when no byte arrived for this long (default 60 s). */
  stallMs?: number;
  /** Resume after a dropped connection this many times per file (default 3). */
  retries?: number;
  retryDelayMs?: number;
}

export interface DownloadResult {
  dir: string;
  repo: string;
  revision: string;
  variant: DownloadVariant;
  files: PlannedFile[];
  bytesTotal: number;
  /** Bytes fetched by this call (less than the total when an earlier attempt left some). */
  bytesFetched: number;
  /** True when the folder was already complete: nothing was fetched. */
  alreadyComplete: boolean;
}

/** Where an interrupted download of `dest` keeps its files. */
export const partialDirOf = (dest: string) => `${path.resolve(dest)}.partial`;
const STATE_NAME = '.infill-download.json';
const PROGRESS_INTERVAL_MS = 100;

async function defaultFreeBytes(dir: string): Promise<number> {
  const s = await fs.promises.statfs(dir);
  return s.bavail * s.bsize;
}

const fileSize = async (p: string): Promise<number | undefined> => {
  try {
    return (await fs.promises.stat(p)).size;
  } catch {
    return undefined;
  }
};

/** Aborted by the caller: a clear, resumable error. */
function cancelled(repo: string, partial: string): InfillError {
  return new InfillError(
    'cancelled',
    `Download of ${repo} cancelled`,
    `Run it again to resume: what was downloaded is kept in ${partial}`,
  );
}

function chooseVariant(repo: string, offered: DownloadVariant[], wanted: DownloadVariant | 'auto'): DownloadVariant {
  if (offered.length === 0) {
    throw new InfillError(
      'model-not-found',
      `${repo} has no ONNX export (no onnx/model*.onnx)`,
      'Pick an ONNX export (onnx-community/... or Xenova/... repositories; infill models list shows some) or export the model with optimum-cli',
    );
  }
  if (wanted === 'auto') return offered[0]!;
  if (!offered.includes(wanted)) {
    throw new InfillError(
      'model-not-found',
      `${repo} has no ${wanted} variant (it has ${offered.join(', ')})`,
      `Pick one of those with --variant ${offered[0]}`,
    );
  }
  return wanted;
}

/**
 * Downloads one variant of a model from the hub into `dest`, resumably and verified: each file goes to `<name>.part`
 * with Range requests when resuming, is checked against the hub's sha256 (or git blob id), then renamed; the folder
 * appears at `dest` only when every file is verified and the manifest is written.
 */
export async function downloadModel(options: DownloadOptions): Promise<DownloadResult> {
  const { repo, signal } = options;
  const dest = path.resolve(options.dest);
  assertOnline(options, repo);
  const existing = readManifest(dest);
  if (fs.existsSync(dest)) {
    if (
      existing &&
      existing.repo === repo &&
      (options.variant === undefined || options.variant === 'auto' || existing.variant === options.variant)
    ) {
      const bytes = existing.files.reduce((s, f) => s + f.size, 0);
      return {
        dir: dest,
        repo,
        revision: existing.revision,
        variant: existing.variant as DownloadVariant,
        bytesTotal: bytes,
        bytesFetched: 0,
        alreadyComplete: true,
        files: existing.files.map((f) => ({
          path: f.repoPath,
          localPath: f.path,
          size: f.size,
          sha256: f.sha256,
          gitOid: f.gitOid,
        })),
      };
    }
    throw new InfillError(
      'bad-arguments',
      `${dest} already exists`,
      'Choose another folder (--dir), or remove that one first: Infill never writes into an existing folder',
    );
  }

  const revision = await resolveRevision(options, repo, options.revision ?? 'main', signal);
  const listing = await listRepoFiles(options, repo, revision, signal);
  const offered = availableVariants(listing);
  const variant = chooseVariant(repo, offered, options.variant ?? 'auto');
  const files = planVariantFiles(listing, variant)!;
  for (const required of REQUIRED_SUPPORT_FILES) {
    if (!files.some((f) => f.localPath === required)) {
      throw new InfillError(
        'model-not-found',
        `${repo} has no ${required}`,
        'Pick a complete transformers.js / Optimum export (config.json, tokenizer.json, onnx/)',
      );
    }
  }

  options.beforeFetch?.(variant, files);

  // An earlier attempt of another commit is of no use: its parts would not match.
  const partial = partialDirOf(dest);
  const statePath = path.join(partial, STATE_NAME);
  const state = { repo, revision, variant };
  try {
    const old = JSON.parse(await fs.promises.readFile(statePath, 'utf8')) as typeof state;
    if (old.repo !== repo || old.revision !== revision || old.variant !== variant)
      await fs.promises.rm(partial, { recursive: true, force: true });
  } catch {
    // No earlier attempt (or an unreadable one: its files are checked anyway).
  }
  await fs.promises.mkdir(partial, { recursive: true });
  await fs.promises.writeFile(statePath, JSON.stringify(state));

  // What is already there: verified files (renamed from .part only once verified) and parts to resume.
  let bytesDone = 0;
  for (const f of files) {
    const done = await fileSize(path.join(partial, f.localPath));
    if (done === f.size) bytesDone += f.size;
    else bytesDone += Math.min(f.size, (await fileSize(path.join(partial, `${f.localPath}.part`))) ?? 0);
  }
  const bytesTotal = files.reduce((s, f) => s + f.size, 0);
  const needed = bytesTotal - bytesDone;
  const free = await (options.freeBytes ?? defaultFreeBytes)(partial);
  if (free < needed * 1.02) {
    throw new InfillError(
      'disk-full',
      `Not enough disk space for ${repo} (${variant}): it needs ${formatBytes(needed)}, ${formatBytes(free)} is free in ${path.dirname(dest)}`,
      'Free some space, or download into another folder (--dir), or pick a smaller variant (q4 or q8)',
    );
  }

  const startedWith = bytesDone;
  let lastEmit = 0;
  const emit = (file: string, fileIndex: number, force = false) => {
    const now = Date.now();
    if (!force && now - lastEmit < PROGRESS_INTERVAL_MS) return;
    lastEmit = now;
    options.onProgress?.({ file, fileIndex, fileCount: files.length, bytesDone, bytesTotal });
  };

  for (const [i, f] of files.entries()) {
    const finalPath = path.join(partial, f.localPath);
    if ((await fileSize(finalPath)) === f.size) continue;
    await fs.promises.mkdir(path.dirname(finalPath), { recursive: true });
    emit(f.localPath, i, true);
    await downloadFile(options, revision, f, finalPath, partial, (delta) => {
      bytesDone += delta;
      emit(f.localPath, i);
    });
    emit(f.localPath, i, true);
  }

  const manifest: ModelManifest = {
    format: 1,
    repo,
    revision,
    variant,
    endpoint: options.endpoint,
    downloadedAt: new Date().toISOString(),
    files: files.map((f) => ({
      path: f.localPath,
      repoPath: f.path,
      size: f.size,
      ...(f.sha256 ? { sha256: f.sha256 } : {}),
      ...(f.gitOid ? { gitOid: f.gitOid } : {}),
    })),
  };
  await fs.promises.rm(statePath, { force: true });
  await writeManifest(partial, manifest);
  if (signal?.aborted) throw cancelled(repo, partial);
  await fs.promises.rename(partial, dest);
  return {
    dir: dest,
    repo,
    revision,
    variant,
    files,
    bytesTotal,
    bytesFetched: bytesTotal - startedWith,
    alreadyComplete: false,
  };
}

/** One file into `<final>.part`, resuming what is there, retrying dropped connections; renamed to `final` once verified. */
async function downloadFile(
  options: DownloadOptions,
  revision: string,
  file: PlannedFile,
  finalPath: string,
  partial: string,
  onBytes: (delta: number) => void,
): Promise<void> {
  const { signal, repo } = options;
  const partPath = `${finalPath}.part`;
  const url = hubFileUrl(options.endpoint, repo, revision, file.path);
  const checksum = checksumOf(file);
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw cancelled(repo, partial);
    let have = (await fileSize(partPath)) ?? 0;
    if (have > file.size) {
      await fs.promises.rm(partPath, { force: true });
      onBytes(-file.size);
      have = 0;
    }
    try {
      await transfer(options, url, file, partPath, have, onBytes);
      break;
    } catch (err) {
      if (signal?.aborted) throw cancelled(repo, partial);
      if (err instanceof InfillError || attempt >= retries) {
        if (err instanceof InfillError) throw err;
        const got = (await fileSize(partPath)) ?? 0;
        throw new InfillError(
          'download-failed',
          `The connection dropped while downloading ${file.path} of ${repo} (${formatBytes(got)} of ${formatBytes(file.size)})`,
          'Run the download again: it resumes where it stopped',
          { cause: err },
        );
      }
      await new Promise((r) => setTimeout(r, (options.retryDelayMs ?? 1000) * (attempt + 1)));
    }
  }

  const size = (await fileSize(partPath)) ?? 0;
  if (size !== file.size) {
    await fs.promises.rm(partPath, { force: true });
    throw new InfillError(
      'download-failed',
      `${file.path} of ${repo} has ${size} bytes, the hub lists ${file.size}`,
      'Run the download again',
    );
  }
  if (checksum) {
    const hash = startHash(checksum.kind, file.size);
    await hashFilePrefix(hash, partPath, file.size, signal);
    const actual = hash.digest('hex');
    if (actual !== checksum.expected) {
      await fs.promises.rm(partPath, { force: true });
      onBytes(-file.size);
      throw new InfillError(
        'checksum-mismatch',
        `${file.path} of ${repo} failed its ${checksum.kind} check (expected ${checksum.expected.slice(0, 12)}..., got ${actual.slice(0, 12)}...)`,
        'Run the download again; if it fails again, the hub or mirror serves a different file than its listing says',
      );
    }
  }
  await fs.promises.rename(partPath, finalPath);
}

/** One HTTP transfer appending to the part file from byte `have` on. Throws a plain Error when the connection drops. */
async function transfer(
  options: DownloadOptions,
  url: string,
  file: PlannedFile,
  partPath: string,
  have: number,
  onBytes: (delta: number) => void,
): Promise<void> {
  if (have === file.size) return;
  const stall = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stall.signal]) : stall.signal;
  const stallMs = options.stallMs ?? 60000;
  let timer = setTimeout(() => stall.abort(), stallMs);
  const what = `${file.path} of ${options.repo}`;
  try {
    const res = await hubFetch(options, url, { signal, headers: have > 0 ? { Range: `bytes=${have}-` } : {} }, what);
    let append = false;
    if (res.status === 206) {
      const start = /bytes (\d+)-/.exec(res.headers.get('content-range') ?? '');
      append = start !== null && Number(start[1]) === have;
      if (!append) {
        await res.body?.cancel();
        throw new Error(`the server answered the range request for ${what} with another range`);
      }
    } else if (res.status === 416) {
      // Nothing left to send for that range: the part is stale. Start over.
      await res.body?.cancel();
      await fs.promises.rm(partPath, { force: true });
      onBytes(-have);
      throw new Error(`the server refused the range request for ${what}`);
    }
    if (!append && have > 0) onBytes(-have); // The server sent the whole file: start over.
    const handle = await fs.promises.open(partPath, append ? 'a' : 'w');
    try {
      if (!res.body) throw new Error(`no body for ${what}`);
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        clearTimeout(timer);
        timer = setTimeout(() => stall.abort(), stallMs);
        await handle.write(chunk);
        onBytes(chunk.byteLength);
      }
    } finally {
      await handle.close();
    }
    const size = (await fileSize(partPath)) ?? 0;
    if (size < file.size) throw new Error(`the connection closed after ${size} of ${file.size} bytes of ${what}`);
  } catch (err) {
    if (stall.signal.aborted && !options.signal?.aborted) {
      throw new InfillError(
        'download-failed',
        `The hub sent nothing for ${Math.round(stallMs / 1000)} s while downloading ${what}`,
        'Run the download again: it resumes where it stopped',
        { cause: err },
      );
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export { MANIFEST_NAME };
