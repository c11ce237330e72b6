import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readManifest } from './manifest';
import type { DownloadVariant } from './variantFiles';

/** A model folder on this machine. */
export interface InstalledModel {
  dir: string;
  /** The repository it came from, or the folder name. */
  name: string;
  repo?: string;
  variant?: string;
  sizeBytes?: number;
  /** `downloaded`: by Infill, with a manifest; `folder`: one the user pointed at (accepted as it is). */
  source: 'downloaded' | 'folder';
}

/** An interrupted download that can be resumed. */
export interface PartialDownload {
  dir: string;
  repo?: string;
  variant?: string;
}

/** The models folder of the CLI: INFILL_MODELS_DIR, else ~/.cache/infill/models (XDG_CACHE_HOME honoured). */
export function defaultModelsHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env['INFILL_MODELS_DIR']) return path.resolve(env['INFILL_MODELS_DIR']);
  return path.join(env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'infill', 'models');
}

/** The folder name a download of `repo` at `variant` gets inside a models home: `owner--name-q8` (`owner--name` for auto). */
export function modelFolderName(repo: string, variant: DownloadVariant | 'auto'): string {
  return `${repo.replace(/\//g, '--')}${variant === 'auto' ? '' : `-${variant}`}`;
}

/** Complete downloads in a models home (folders with a manifest), and interrupted ones (`*.partial`). */
export function listInstalled(modelsHome: string): { models: InstalledModel[]; partial: PartialDownload[] } {
  let names: string[];
  try {
    names = fs.readdirSync(modelsHome);
  } catch {
    return { models: [], partial: [] };
  }
  const models: InstalledModel[] = [];
  const partial: PartialDownload[] = [];
  for (const name of names.sort()) {
    const dir = path.join(modelsHome, name);
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
    if (name.endsWith('.partial')) {
      let state: { repo?: string; variant?: string } = {};
      try {
        state = JSON.parse(fs.readFileSync(path.join(dir, '.infill-download.json'), 'utf8')) as typeof state;
      } catch {
        // An attempt that did not get far: still worth listing so the user can remove it.
      }
      partial.push({ dir, repo: state.repo, variant: state.variant });
      continue;
    }
    const manifest = readManifest(dir);
    if (!manifest) continue;
    models.push({
      dir,
      name: manifest.repo,
      repo: manifest.repo,
      variant: manifest.variant,
      source: 'downloaded',
      sizeBytes: manifest.files.reduce((s, f) => s + f.size, 0),
    });
  }
  return { models, partial };
}

/** A folder the user chose (infill.model.path, --model), described for a list. */
export function describeFolder(dir: string): InstalledModel {
  const manifest = readManifest(dir);
  return manifest
    ? {
        dir,
        name: manifest.repo,
        repo: manifest.repo,
        variant: manifest.variant,
        source: 'downloaded',
        sizeBytes: manifest.files.reduce((s, f) => s + f.size, 0),
      }
    : { dir, name: path.basename(dir), source: 'folder' };
}
