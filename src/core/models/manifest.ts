import * as fs from 'node:fs';
import * as path from 'node:path';

/** Written last into a downloaded model folder: where it came from and what each file must be. */
export const MANIFEST_NAME = 'infill-manifest.json';

export interface ManifestFile {
  /** Path in the model folder. */
  path: string;
  /** Path in the repository (ONNX files at a repository's top are placed under onnx/). */
  repoPath: string;
  size: number;
  sha256?: string;
  gitOid?: string;
}

export interface ModelManifest {
  format: 1;
  repo: string;
  /** The commit the files came from. */
  revision: string;
  variant: string;
  endpoint: string;
  downloadedAt: string;
  files: ManifestFile[];
}

export function readManifest(dir: string): ModelManifest | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, MANIFEST_NAME), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const m = JSON.parse(text) as ModelManifest;
    return m && m.format === 1 && typeof m.repo === 'string' && Array.isArray(m.files) ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the manifest through a temporary name, so a crash never leaves half a manifest. */
export async function writeManifest(dir: string, manifest: ModelManifest): Promise<void> {
  const tmp = path.join(dir, `${MANIFEST_NAME}.tmp`);
  await fs.promises.writeFile(tmp, JSON.stringify(manifest, null, 2) + '\n');
  await fs.promises.rename(tmp, path.join(dir, MANIFEST_NAME));
}
