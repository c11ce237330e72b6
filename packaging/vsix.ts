// Builds one platform's VSIX: a clean staging folder (Infill's files as .vscodeignore selects them, a manifest
// without build scripts, the runtime node_modules cut down to the platform, the notices), then vsce package --target.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createVSIX, listFiles, PackageManager } from '@vscode/vsce';
import * as yauzl from 'yauzl';
import { thirdPartyNotices } from './notices';
import { stageRuntimeDeps, type RuntimeDeps } from './runtimeDeps';
import type { Target } from './targets';
import { openModelFolder } from '../src/core/engine/modelFolder';

export const REPO = path.resolve(__dirname, '..');
/** The bundles that run in Node: their require()s decide the node_modules; the webview bundle runs in the browser. */
export const NODE_BUNDLES = ['dist/extension.js', 'dist/engine-host.js', 'dist/cli.js'];
const WEBVIEW_BUNDLES = ['dist/webview/chat.js', 'dist/webview/chat.css'];
/** Files the VSIX cannot work without; an error names any that .vscodeignore left out. */
const REQUIRED = [
  ...NODE_BUNDLES,
  'dist/webview/chat.js',
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'media/infill.svg',
  'models/tiny-codellama/config.json',
  'models/tiny-codellama/tokenizer.json',
  'models/tiny-codellama/tokenizer_config.json',
  'models/tiny-codellama/LICENSE-LLAMA2.md',
];
const MODEL_DIR = 'models/tiny-codellama/';

/**
 * The one ONNX graph of the shipped model that the VSIX carries: the file the engine opens for the variant `auto`
 * (config.json's transformers.js_config dtype). The other variants stay in the repository for tests and benchmarks.
 */
export function shippedGraph(repo: string): string {
  return path
    .relative(repo, openModelFolder(path.join(repo, MODEL_DIR), 'auto').onnxPath)
    .split(path.sep)
    .join('/');
}
const isModelGraph = (f: string) => f.startsWith(`${MODEL_DIR}onnx/`) && f.endsWith('.onnx');

export interface VsixResult {
  target: string;
  file: string;
  bytes: number;
  /** Compressed bytes of the shipped model's entries (with their zip headers). */
  modelBytes: number;
  entries: string[];
  deps: RuntimeDeps;
  notices: string;
}

interface Manifest {
  name: string;
  version: string;
  [key: string]: unknown;
}

/** The manifest in the VSIX: no build scripts or dev tooling; dependencies are the runtime packages staged beside it. */
function vsixManifest(repo: string, roots: Record<string, string>): Manifest {
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as Manifest;
  for (const key of ['scripts', 'devDependencies', 'files', 'bin']) delete manifest[key];
  return { ...manifest, dependencies: roots };
}

/** The local images README.md shows (`![alt](path)`), as paths relative to the repository. */
export function readmeImages(repo: string): string[] {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  return [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)]
    .map((m) => m[1]!)
    .filter((l) => !/^\w+:/.test(l))
    .map((l) => path.posix.normalize(l));
}

async function zipEntries(file: string): Promise<{ name: string; bytes: number }[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, z) => (err ? reject(err) : resolve(z)));
  });
  return new Promise((resolve, reject) => {
    const entries: { name: string; bytes: number }[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      // Local header (30 + name + extra) and central directory record (46 + name + extra + comment) around the data.
      entries.push({
        name: e.fileName,
        bytes: e.compressedSize + 76 + 2 * (e.fileNameLength + e.extraFieldLength) + e.fileCommentLength,
      });
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

function copy(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

/** Stages and packages `target` into outDir; returns the VSIX and what is in it. */
export async function buildVsix(target: Target, outDir: string, repo = REPO): Promise<VsixResult> {
  for (const f of [...NODE_BUNDLES, ...WEBVIEW_BUNDLES]) {
    if (!fs.existsSync(path.join(repo, f))) throw new Error(`${f} is missing: run npm run build first`);
  }
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), `infill-vsix-${target.name}-`));
  try {
    const own = await listFiles({ cwd: repo, packageManager: PackageManager.None });
    const graph = shippedGraph(repo);
    const missing = [...REQUIRED, graph, ...readmeImages(repo)].filter((f) => !own.includes(f));
    if (missing.length)
      throw new Error(`the VSIX would lack ${missing.join(', ')}: check .vscodeignore (and that the files exist)`);
    for (const f of own) {
      if (f === 'package.json' || (isModelGraph(f) && f !== graph)) continue;
      copy(path.join(repo, f), path.join(stage, f));
    }

    const deps = stageRuntimeDeps(
      repo,
      stage,
      NODE_BUNDLES.map((b) => path.join(repo, b)),
      target,
    );
    const manifest = vsixManifest(repo, deps.roots);
    fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const notices = thirdPartyNotices(
      repo,
      stage,
      deps,
      [...NODE_BUNDLES, ...WEBVIEW_BUNDLES].map((b) => path.join(repo, b)),
    );
    fs.writeFileSync(path.join(stage, 'THIRD_PARTY_NOTICES.md'), notices);
    // Everything staged is meant to ship; vsce's own defaults still drop its usual noise.
    fs.writeFileSync(path.join(stage, '.vscodeignore'), '**/*.map\n**/*.d.ts\n');

    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${manifest.name}-${target.name}-${manifest.version}.vsix`);
    const partial = `${file}.partial`;
    // The README's images ship inside the VSIX and keep their relative paths (VS Code shows them from the installed
    // extension's folder); vsce would otherwise want a repository URL to rewrite them to.
    await createVSIX({
      cwd: stage,
      packagePath: partial,
      target: target.name,
      dependencies: true,
      allowMissingRepository: true,
      rewriteRelativeLinks: false,
    });
    fs.renameSync(partial, file);

    const entries = await zipEntries(file);
    const modelBytes = entries
      .filter((e) => e.name.startsWith(`extension/${MODEL_DIR}`))
      .reduce((a, e) => a + e.bytes, 0);
    return {
      target: target.name,
      file,
      bytes: fs.statSync(file).size,
      modelBytes,
      entries: entries.map((e) => e.name),
      deps,
      notices,
    };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}
