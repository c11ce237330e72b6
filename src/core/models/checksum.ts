import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import type { RepoFile } from './variantFiles';

/**
 * The checksum the hub publishes for a file: sha256 of the content for LFS files, the git blob id (sha1 of
 * "blob <size>\0" + content) for files kept in git itself.
 */
export interface FileChecksum {
  kind: 'sha256' | 'git-sha1';
  expected: string;
}

export function checksumOf(file: Pick<RepoFile, 'sha256' | 'gitOid'>): FileChecksum | undefined {
  if (file.sha256) return { kind: 'sha256', expected: file.sha256.toLowerCase() };
  if (file.gitOid && /^[0-9a-f]{40}$/i.test(file.gitOid))
    return { kind: 'git-sha1', expected: file.gitOid.toLowerCase() };
  return undefined;
}

/** A running hash for a checksum kind; the git one is seeded with the blob header (so the size must be known). */
export function startHash(kind: FileChecksum['kind'], size: number): Hash {
  if (kind === 'sha256') return createHash('sha256');
  return createHash('sha1').update(`blob ${size}\0`);
}

/** Feeds the first `bytes` of a file into a hash (resuming a download hashes what is already there). */
export async function hashFilePrefix(hash: Hash, file: string, bytes: number, signal?: AbortSignal): Promise<void> {
  if (bytes <= 0) return;
  const stream = fs.createReadStream(file, { start: 0, end: bytes - 1, highWaterMark: 1 << 20 });
  for await (const chunk of stream) {
    signal?.throwIfAborted();
    hash.update(chunk as Buffer);
  }
}

/** The checksum of a whole file on disk. */
export async function fileChecksum(kind: FileChecksum['kind'], file: string, signal?: AbortSignal): Promise<string> {
  const size = (await fs.promises.stat(file)).size;
  const hash = startHash(kind, size);
  await hashFilePrefix(hash, file, size, signal);
  return hash.digest('hex');
}
