import * as path from 'node:path';
import * as vscode from 'vscode';
import { InfillError } from '../core/errors';
import { formatBytes, type CatalogEntry } from '../core/models/catalog';
import { downloadModel } from '../core/models/downloader';
import { resolveHubEndpoint } from '../core/models/hubClient';
import { describeFolder, listInstalled, modelFolderName } from '../core/models/installed';
import { DOWNLOAD_VARIANTS, type DownloadVariant } from '../core/models/variantFiles';
import { assertDownloadFits } from '../core/hardware/fit';
import { recommendModels, type Recommendation } from '../core/hardware/recommend';
import type { HardwareProfile } from '../core/hardware/types';
import { completionContextTokens, cudaUsable, editorHardware } from './checkSetup';
import { setting, settingsReader, updateSetting } from './settings';

type Pick = vscode.QuickPickItem & { run?: () => Promise<string | undefined> };

/** A quick pick of Select Model as it is shown: its title, its items, the label of the item the user is on (for tests). */
export interface ModelPickView {
  title: string;
  items: readonly vscode.QuickPickItem[];
  active: string | undefined;
}

type ShowView = (view: ModelPickView | undefined) => void;

/** showQuickPick, telling `show` what is on screen until it closes. */
async function showPick<T extends vscode.QuickPickItem>(
  items: T[],
  options: vscode.QuickPickOptions & { title: string },
  show: ShowView | undefined,
): Promise<T | undefined> {
  let active: string | undefined;
  show?.({ title: options.title, items, active });
  try {
    return await vscode.window.showQuickPick(items, {
      ...options,
      onDidSelectItem: (item) => {
        active = typeof item === 'string' ? item : item.label;
        show?.({ title: options.title, items, active });
      },
    });
  } finally {
    show?.(undefined);
  }
}

const VERDICT_ICONS: Record<Recommendation['verdict'], string> = {
  good: '$(pass)',
  slow: '$(watch)',
  tight: '$(warning)',
  'too-large': '$(circle-slash)',
  unsuitable: '$(circle-slash)',
};

/** Where the extension keeps downloaded models. */
export const modelsHomeOf = (context: vscode.ExtensionContext) =>
  vscode.Uri.joinPath(context.globalStorageUri, 'models').fsPath;

function describeEntry(e: CatalogEntry): string {
  const size = e.sizes[e.recommended];
  return `${e.parameters} · ${e.fim} FIM · ${e.chatTemplate ? 'chat' : 'no chat template'}${size ? ` · ${e.recommended} ${formatBytes(size)}` : ''}`;
}

/** Downloads with a cancellable notification; resolves with the model folder, or undefined when cancelled or failed. */
async function download(
  home: string,
  log: vscode.LogOutputChannel,
  repo: string,
  variant: DownloadVariant | 'auto',
  hardware: HardwareProfile | undefined,
): Promise<string | undefined> {
  const c = settingsReader();
  const dest = path.join(home, modelFolderName(repo, variant));
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Infill: downloading ${repo}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let reported = 0;
        try {
          return await downloadModel({
            repo,
            variant,
            dest,
            signal: abort.signal,
            endpoint: resolveHubEndpoint(c('hub.endpoint')),
            offline: c('hub.offline'),
            token: process.env['HF_TOKEN'],
            beforeFetch: hardware
              ? (v, files) =>
                  assertDownloadFits(repo, v, files, hardware, {
                    contextTokens: completionContextTokens(),
                    cudaUsable: cudaUsable(),
                  })
              : undefined,
            onProgress: (p) => {
              const pct = p.bytesTotal ? (p.bytesDone / p.bytesTotal) * 100 : 100;
              progress.report({
                increment: Math.max(0, pct - reported),
                message: `${Math.floor(pct)}% · ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)} · ${p.file}`,
              });
              reported = Math.max(reported, pct);
            },
          });
        } finally {
          sub.dispose();
        }
      },
    );
    log.info(
      `models: ${result.alreadyComplete ? 'already downloaded' : 'downloaded and verified'} ${repo} (${result.variant}) in ${result.dir}`,
    );
    return result.dir;
  } catch (err) {
    if (err instanceof InfillError && err.code === 'model-too-large') {
      log.warn(`models: ${err.message}`);
      const choice = await vscode.window.showWarningMessage(
        `Infill: ${err.message}.`,
        { modal: true, detail: 'A smaller variant or model runs better here: Select Model lists what fits first.' },
        'Download Anyway',
      );
      return choice === 'Download Anyway' ? download(home, log, repo, variant, undefined) : undefined;
    }
    if (err instanceof InfillError && err.code === 'cancelled') {
      void vscode.window.showInformationMessage(
        `Infill: download of ${repo} cancelled. Choose it again in Select Model to resume.`,
      );
      return undefined;
    }
    const line = err instanceof InfillError ? err.toLine() : String(err);
    log.error(`models: download of ${repo} failed: ${line}`);
    void vscode.window.showErrorMessage(`Infill: ${line}`);
    return undefined;
  }
}

async function pickVariant(
  e: CatalogEntry,
  best: DownloadVariant,
  show: ShowView | undefined,
): Promise<DownloadVariant | undefined> {
  const variants = DOWNLOAD_VARIANTS.filter((v) => e.sizes[v] !== undefined).sort((a, b) =>
    a === best ? -1 : b === best ? 1 : 0,
  );
  if (variants.length === 1) return variants[0];
  const picked = await showPick(
    variants.map((v) => ({
      label: v,
      description: `${formatBytes(e.sizes[v]!)}${v === best ? ' · recommended for this machine' : ''}`,
      variant: v,
    })),
    {
      title: `Infill: ${e.id}: which variant?`,
      placeHolder: 'q8 and q4 are smaller and run well on CPU; fp16 suits GPUs',
    },
    show,
  );
  return picked?.variant;
}

/**
 * `Infill: Select Model`: the shipped model, the models downloaded before, the catalog (downloaded with progress and
 * cancel, then selected), another hub repository, or any folder (accepted as it is). Sets infill.model.path globally.
 * `show` is told what each quick pick shows while it is open.
 */
export async function selectModel(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  shippedModel: string,
  show?: ShowView,
): Promise<void> {
  const home = modelsHomeOf(context);
  const hardware = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Infill: checking this machine' },
    () => editorHardware(),
  );
  const recs = recommendModels(hardware, {
    role: 'completion',
    contextTokens: completionContextTokens(),
    cudaUsable: cudaUsable(),
  });
  const current = setting('model.path');
  const { models, partial } = listInstalled(home);
  const mark = (dir: string) => (path.resolve(dir) === path.resolve(current || shippedModel) ? '$(check) ' : '');
  const installed: Pick[] = [
    {
      label: `${mark(shippedModel)}$(package) Shipped model (tiny-codellama)`,
      description: 'tiny, for trying Infill out',
      run: () => Promise.resolve(''),
    },
    ...models.map((m) => ({
      label: `${mark(m.dir)}$(server-process) ${m.name}`,
      description: `${m.variant ?? ''} · ${formatBytes(m.sizeBytes ?? 0)}`,
      detail: m.dir,
      run: () => Promise.resolve(m.dir),
    })),
  ];
  if (current && !models.some((m) => path.resolve(m.dir) === path.resolve(current))) {
    const d = describeFolder(current);
    installed.push({
      label: `$(check) $(folder) ${d.name}`,
      description: 'current',
      detail: current,
      run: () => Promise.resolve(current),
    });
  }
  const resumable: Pick[] = partial
    .filter((p) => p.repo)
    .map((p) => ({
      label: `$(debug-continue) Resume download of ${p.repo}`,
      description: p.variant,
      detail: p.dir,
      run: () => download(home, log, p.repo!, (p.variant as DownloadVariant | undefined) ?? 'auto', hardware),
    }));
  const installedRepos = new Set(models.map((m) => m.repo));
  // Ranked for this machine (src/core/hardware/recommend.ts): what fits and runs fast enough first.
  const catalog: Pick[] = recs
    .filter((r) => !installedRepos.has(r.entry.repo))
    .map((r) => ({
      label: `${VERDICT_ICONS[r.verdict]} ${r.entry.family} ${r.entry.parameters}${r.entry.chatTemplate ? ' Instruct' : ''}`,
      description: `${r.variant} · ${r.reason}`,
      detail: `${r.entry.repo} · ${describeEntry(r.entry)}${r.entry.verified ? '' : ' · repository not verified'}${r.entry.notes ? ` · ${r.entry.notes}` : ''}`,
      run: async () => {
        const variant = await pickVariant(r.entry, r.variant, show);
        return variant ? download(home, log, r.entry.repo, variant, hardware) : undefined;
      },
    }));
  const other: Pick[] = [
    {
      label: '$(folder-opened) Choose a folder…',
      description: 'a Hugging Face ONNX export: config.json, tokenizer.json, onnx/model*.onnx',
      run: async () =>
        (
          await vscode.window.showOpenDialog({
            canSelectFolders: true,
            canSelectFiles: false,
            openLabel: 'Use this model',
          })
        )?.[0]?.fsPath,
    },
    {
      label: '$(cloud-download) Download another hub repository…',
      description: 'owner/name of an ONNX export',
      run: async () => {
        const repo = await vscode.window.showInputBox({
          title: 'Infill: Hugging Face repository',
          placeHolder: 'onnx-community/Qwen2.5-Coder-0.5B-Instruct',
          validateInput: (v) => (/^[\w.-]+\/[\w.-]+$/.test(v.trim()) ? undefined : 'owner/name'),
        });
        return repo ? download(home, log, repo.trim(), 'auto', hardware) : undefined;
      },
    },
  ];
  const sep = (label: string): Pick => ({ label, kind: vscode.QuickPickItemKind.Separator });
  // Offline mode: only what is on this machine, and folders.
  const offline = setting('hub.offline');
  const picked = await showPick<Pick>(
    offline
      ? [sep('On this machine'), ...installed, sep('Other (offline: infill.hub.offline is on)'), other[0]!]
      : [
          sep('On this machine'),
          ...installed,
          ...resumable,
          sep('Download: best fit first'),
          ...catalog,
          sep('Other'),
          ...other,
        ],
    {
      title: 'Infill: Select Model',
      placeHolder: 'Which model should Infill run?',
      matchOnDescription: true,
      matchOnDetail: true,
    },
    show,
  );
  if (!picked?.run) return;
  const dir = await picked.run();
  if (dir === undefined) return;
  await updateSetting('model.path', dir);
  void vscode.window.showInformationMessage(`Infill: model set to ${dir || `the shipped model (${shippedModel})`}`);
}
