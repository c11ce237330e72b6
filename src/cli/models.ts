import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { CATALOG, findCatalogEntry, formatBytes } from '../core/models/catalog';
import { downloadModel, type DownloadProgress } from '../core/models/downloader';
import { resolveHubEndpoint } from '../core/models/hubClient';
import { defaultModelsHome, listInstalled, modelFolderName } from '../core/models/installed';
import { DOWNLOAD_VARIANTS, type DownloadVariant } from '../core/models/variantFiles';
import { verifyModelFolder } from '../core/models/verify';
import { providerUnavailable } from '../core/hardware/providerSupport';
import { InfillError } from '../core/errors';
import { assertDownloadFits } from '../core/hardware/fit';
import { probeHardware } from '../core/hardware/probe';
import { recommendationTable, recommendModels, type ModelRole } from '../core/hardware/recommend';
import { numberFlag, oneOf } from './flags';

function parse<const O extends Record<string, { type: 'string' } | { type: 'boolean' }>>(args: string[], options: O) {
  try {
    return parseArgs({ args, allowPositionals: true, strict: true, options });
  } catch (err) {
    throw new InfillError('bad-arguments', (err as Error).message, 'Run infill --help to see the options');
  }
}

/** `infill models list|pull|verify`. */
export async function runModels(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list':
      return list(rest);
    case 'pull':
      return pull(rest);
    case 'verify':
      return verify(rest);
    case 'recommend':
      return recommend(rest);
    default:
      throw new InfillError(
        'bad-arguments',
        sub ? `Unknown models command "${sub}"` : 'models needs a command',
        'Use infill models list, infill models recommend, infill models pull REPO, or infill models verify DIR',
      );
  }
}

function list(args: string[]): number {
  const { values } = parse(args, { dir: { type: 'string' }, json: { type: 'boolean' } });
  const home = values.dir ? path.resolve(values.dir) : defaultModelsHome();
  const installed = listInstalled(home);
  if (values.json) {
    process.stdout.write(
      JSON.stringify({ catalog: CATALOG, modelsHome: home, installed: installed.models, partial: installed.partial }) +
        '\n',
    );
    return 0;
  }
  const out: string[] = ['Catalog (infill models pull ID [--variant V]):'];
  for (const e of CATALOG) {
    const sizes = DOWNLOAD_VARIANTS.filter((v) => e.sizes[v])
      .map((v) => `${v} ${formatBytes(e.sizes[v]!)}${v === e.recommended ? '*' : ''}`)
      .join(', ');
    out.push(`  ${e.id.padEnd(30)} ${e.repo}${e.verified ? '' : '  (repository not verified)'}`);
    out.push(
      `  ${''.padEnd(30)} ${e.parameters}, FIM ${e.fim}, chat template ${e.chatTemplate ? 'yes' : 'no'}; ${sizes}; ${e.hardware}`,
    );
  }
  out.push('  (* the variant taken when --variant is not given)', '', `Installed in ${home}:`);
  if (!installed.models.length) out.push('  none');
  for (const m of installed.models) out.push(`  ${m.dir}  ${m.repo} ${m.variant} ${formatBytes(m.sizeBytes ?? 0)}`);
  for (const p of installed.partial)
    out.push(
      `  ${p.dir}  unfinished download${p.repo ? ` of ${p.repo} ${p.variant ?? ''}` : ''}: pull it again to resume`,
    );
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

async function pull(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    variant: { type: 'string' },
    revision: { type: 'string' },
    endpoint: { type: 'string' },
    dir: { type: 'string' },
    offline: { type: 'boolean' },
    force: { type: 'boolean' },
    context: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) {
    throw new InfillError(
      'bad-arguments',
      'pull takes one repository or catalog id',
      'Example: infill models pull onnx-community/Qwen2.5-Coder-0.5B-Instruct --variant q8',
    );
  }
  const entry = findCatalogEntry(positionals[0]!);
  const repo = entry?.repo ?? positionals[0]!;
  const wanted = values.variant ?? entry?.recommended ?? 'auto';
  if (wanted !== 'auto' && !(DOWNLOAD_VARIANTS as readonly string[]).includes(wanted)) {
    throw new InfillError(
      'bad-arguments',
      `--variant ${wanted} is not one of auto, ${DOWNLOAD_VARIANTS.join(', ')}`,
      'Use --variant q8',
    );
  }
  const variant = wanted as DownloadVariant | 'auto';
  const offline = values.offline === true || process.env['HF_HUB_OFFLINE'] === '1';
  const endpoint = resolveHubEndpoint(values.endpoint);
  const dest = values.dir ? path.resolve(values.dir) : path.join(defaultModelsHome(), modelFolderName(repo, variant));

  const fitOptions = {
    contextTokens: numberFlag('context', values.context, DEFAULT_CONTEXT_TOKENS, 1),
    cudaUsable: cudaUsable(),
  };
  const hardware = values.force ? undefined : await probeHardware({ bandwidth: false });
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const tty = process.stderr.isTTY === true;
  let lastLine = 0;
  const onProgress = (p: DownloadProgress) => {
    const pct = p.bytesTotal ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : 100;
    const line = `${pct}% ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}, file ${p.fileIndex + 1}/${p.fileCount} ${p.file}`;
    if (tty) process.stderr.write(`\r${line.padEnd(100)}`);
    else if (Date.now() - lastLine > 5000) {
      lastLine = Date.now();
      process.stderr.write(`# ${line}\n`);
    }
  };
  try {
    const r = await downloadModel({
      repo,
      revision: values.revision,
      variant,
      dest,
      endpoint,
      offline,
      token: process.env['HF_TOKEN'],
      signal: abort.signal,
      onProgress,
      beforeFetch: values.force ? undefined : (v, files) => assertDownloadFits(repo, v, files, hardware!, fitOptions),
    });
    if (tty) process.stderr.write('\n');
    if (values.json) {
      process.stdout.write(
        JSON.stringify({
          dir: r.dir,
          repo: r.repo,
          revision: r.revision,
          variant: r.variant,
          bytesTotal: r.bytesTotal,
          bytesFetched: r.bytesFetched,
          alreadyComplete: r.alreadyComplete,
          files: r.files.map((f) => f.localPath),
        }) + '\n',
      );
    } else {
      process.stdout.write(`${r.dir}\n`);
      process.stderr.write(
        r.alreadyComplete
          ? `# ${r.repo} (${r.variant}) is already complete there\n`
          : `# ${r.repo} (${r.variant}) at ${r.revision.slice(0, 12)}: ${r.files.length} files, ${formatBytes(r.bytesTotal)}, verified; use it with --model ${r.dir}\n`,
      );
    }
    return 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

async function verify(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (positionals.length !== 1)
    throw new InfillError(
      'bad-arguments',
      'verify takes one model folder',
      'Example: infill models verify ~/.cache/infill/models/onnx-community--Qwen2.5-Coder-0.5B-Instruct-q8',
    );
  const report = await verifyModelFolder(positionals[0]!);
  if (values.json) {
    process.stdout.write(JSON.stringify(report) + '\n');
  } else {
    const lines = [`${report.dir}: ${report.ok ? 'complete' : 'NOT usable'}`];
    if (report.manifest)
      lines.push(
        `  from ${report.manifest.repo} (${report.manifest.variant}) at ${report.manifest.revision.slice(0, 12)}; ${report.checksummed} checksums verified`,
      );
    for (const g of report.graphs)
      lines.push(`  ${g.file}${g.externalData.length ? ` + ${g.externalData.join(', ')}` : ''}`);
    for (const p of report.problems) lines.push(`  problem: ${p}`);
    for (const w of report.warnings) lines.push(`  note: ${w}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  if (!report.ok && !values.json) {
    throw new InfillError(
      'model-corrupt',
      `${report.dir} is not a complete model: ${report.problems[0]}`,
      'Download it again (infill models pull), or fix the files named above',
    );
  }
  return report.ok ? 0 : 2;
}

/** KV cache positions the estimates assume: the inline prompt (1,024 + 256 tokens, other files) and its answer. */
export const DEFAULT_CONTEXT_TOKENS = 2048;

const cudaUsable = () => process.platform === 'linux' && providerUnavailable('cuda') === undefined;

async function recommend(args: string[]): Promise<number> {
  const { values } = parse(args, {
    for: { type: 'string' },
    context: { type: 'string' },
    json: { type: 'boolean' },
  });
  const role = oneOf<ModelRole>('for', values.for, ['completion', 'chat'], 'completion');
  const contextTokens = numberFlag('context', values.context, DEFAULT_CONTEXT_TOKENS, 1);
  const hardware = await probeHardware();
  const recs = recommendModels(hardware, { role, contextTokens, cudaUsable: cudaUsable() });
  if (values.json) {
    process.stdout.write(
      JSON.stringify({
        role,
        contextTokens,
        hardware,
        models: recs.map((r) => ({
          id: r.entry.id,
          repo: r.entry.repo,
          variant: r.variant,
          placement: r.placement,
          verdict: r.verdict,
          memoryBytes: Math.round(r.memory.totalBytes),
          tokensPerSecond: r.tokensPerSecond && Math.round(r.tokensPerSecond * 10) / 10,
          reason: r.reason,
          verified: r.entry.verified,
        })),
      }) + '\n',
    );
    return 0;
  }
  const bw = hardware.memoryBandwidthGBps
    ? `, memory reads about ${Math.round(hardware.memoryBandwidthGBps)} GB/s`
    : '';
  const gpus = hardware.gpus.map((g) => g.name).join(', ') || 'no GPU seen';
  const lines = [
    `For ${role} on this machine (${(hardware.memory.totalBytes / 1e9).toFixed(1)} GB, ${hardware.cpu.cores} cores${bw}; ${gpus}), KV cache at ${contextTokens} tokens:`,
    ...recommendationTable(recs),
    '',
    `Download the first with: infill models pull ${recs[0]!.entry.id} --variant ${recs[0]!.variant}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
