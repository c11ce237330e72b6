// Which node_modules the bundles in dist/ need at runtime, and how each is cut down for one target platform.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Target } from './targets';

/** How a package that the bundles reach is shipped. */
interface PackagePlan {
  /** The files to ship, relative to the package folder; undefined ships all but docs, types, sources and maps. */
  files?: (target: Target, dir: string) => string[];
  /** Dependencies in its package.json that are left out of the VSIX, with the reason. */
  drop?: Record<string, string>;
  /** Replaced by Infill's stand-in in packaging/stubs/<name>, for this reason. */
  stub?: string;
  /** Dropped dependencies whose code the shipped files already contain (listed in the notices). */
  embeds?: string[];
  /** The one optionalDependency the target needs (a platform's native binary); the others are left out. */
  platformPackage?: (target: Target) => string;
}

const ORT_BIN = (t: Target) => `bin/napi-v6/${t.os}/${t.arch}`;

const PLANS: Record<string, PackagePlan> = {
  'onnxruntime-node': {
    files: (t, dir) => [
      'package.json',
      'README.md',
      ...jsUnder(dir, 'dist'),
      ...t.binaries.map((b) => `${ORT_BIN(t)}/${b}`),
    ],
    drop: {
      'adm-zip': "used only by onnxruntime-node's install script (the CUDA download), which never runs from a VSIX",
      'global-agent':
        "used only by onnxruntime-node's install script (the CUDA download), which never runs from a VSIX",
    },
  },
  'onnxruntime-common': { files: (_t, dir) => ['package.json', 'README.md', ...jsUnder(dir, 'dist/cjs')] },
  '@huggingface/transformers': {
    // Only the CommonJS Node build: the bundles require() it, and package.json's exports send Node's require there.
    files: () => ['package.json', 'LICENSE', 'dist/transformers.node.cjs'],
    drop: {
      'onnxruntime-web':
        'the browser backend (141 MB): the Node build runs models on onnxruntime-node, and Infill only uses its tokenizers',
      '@huggingface/jinja': 'bundled into dist/transformers.node.cjs',
      '@huggingface/tokenizers': 'bundled into dist/transformers.node.cjs',
    },
    // Its Node build contains these (onnxruntime-web as its ort.webgpu bundle).
    embeds: ['@huggingface/jinja', '@huggingface/tokenizers', 'onnxruntime-web'],
  },
  // The sandbox transpiles generated TypeScript tests with esbuild's JS API, which runs its platform's native binary.
  esbuild: {
    files: () => ['package.json', 'LICENSE.md', 'lib/main.js'],
    platformPackage: (t) => `@esbuild/${t.os}-${t.arch}`,
  },
  // The engine's FFI to onnxruntime's C API (IO binding): its loader, and the target's prebuilt binary package.
  koffi: {
    files: () => ['package.json', 'LICENSE.txt', 'index.cjs', 'src/koffi/index.cjs', 'src/koffi/src/static.cjs'],
    platformPackage: (t) => `@koromix/koffi-${t.os}-${t.arch}`,
  },
  sharp: {
    stub: 'image decoding on native libvips, which transformers.js requires at load time; Infill reads no images',
  },
};

/** Packages the host provides. */
const PROVIDED = new Set(['vscode']);

export interface StagedPackage {
  name: string;
  version: string;
  /** Folder relative to the staging root, e.g. node_modules/onnxruntime-node. */
  dir: string;
  stub: boolean;
  /** Set for a platform's binary package: its name with the platform as <platform> (the same for every target). */
  generic?: string;
}

export interface RuntimeDeps {
  /** Packages the bundles require directly: the staged package.json's dependencies. */
  roots: Record<string, string>;
  packages: StagedPackage[];
  /** Dependencies left out, as "parent > name: reason". */
  dropped: string[];
  /** Packages whose code is inside a shipped package's files: folders relative to the repository. */
  embedded: { name: string; dir: string; host: string }[];
}

const builtins = new Set(builtinModules);

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The non-builtin packages a CommonJS bundle require()s (esbuild leaves externals as require("name")). */
export function bundleExternals(bundle: string): string[] {
  const code = fs.readFileSync(bundle, 'utf8');
  const found = new Set<string>();
  for (const m of code.matchAll(/\b(?:require|import)\("([^"./][^"]*)"\)/g)) {
    const spec = m[1]!;
    if (spec.startsWith('node:') || builtins.has(spec) || builtins.has(spec.split('/')[0]!)) continue;
    found.add(packageName(spec));
  }
  return [...found].sort();
}

function jsUnder(pkgDir: string, sub: string): string[] {
  const root = path.join(pkgDir, sub);
  if (!fs.existsSync(root)) return [];
  return (
    (fs.readdirSync(root, { recursive: true }) as string[])
      .map((f) => f.split(path.sep).join('/'))
      // package.json files inside dist/ matter: dist/cjs/package.json says its .js files are CommonJS.
      .filter((f) => f.endsWith('.js') || path.basename(f) === 'package.json')
      .map((f) => `${sub}/${f}`)
  );
}

/** All files of a package except what no program loads: docs, type declarations, TypeScript sources, maps, tests. */
function defaultFiles(pkgDir: string): string[] {
  return (fs.readdirSync(pkgDir, { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => fs.statSync(path.join(pkgDir, f)).isFile())
    .filter((f) => !f.startsWith('node_modules/'))
    .filter((f) => !/(^|\/)(test|tests|__tests__|docs?|src|\.github)\//.test(f))
    .filter(
      (f) =>
        !/\.(map|d\.ts|d\.cts|d\.mts|ts|md)$/.test(f) || /^(readme|license|licence|notice)/i.test(path.basename(f)),
    );
}

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as PackageJson;

/** Node's lookup: <from>/node_modules/<name>, then each parent's node_modules, up to the repository. */
export function resolvePackage(repo: string, fromDir: string, name: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.resolve(dir) === path.resolve(repo)) return undefined;
    dir = path.dirname(dir);
  }
}

/**
 * A platform's package of a native binary (such as @esbuild/win32-x64): the installed one when it is the right
 * version, else fetched once with `npm pack` from the registry into ~/.cache/infill-package (npm installs only the
 * build machine's own).
 */
function platformPackageDir(repo: string, name: string, version: string): string {
  const installed = path.join(repo, 'node_modules', name);
  if (
    fs.existsSync(path.join(installed, 'package.json')) &&
    readJson(path.join(installed, 'package.json')).version === version
  )
    return installed;
  const cache = path.join(
    process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
    'infill-package',
    `${name.replace('/', '+')}@${version}`,
  );
  const dir = path.join(cache, 'package');
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    fs.rmSync(cache, { recursive: true, force: true });
    fs.mkdirSync(cache, { recursive: true });
    try {
      const tgz = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', cache], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      })
        .trim()
        .split('\n')
        .pop()!;
      execFileSync('tar', ['-xzf', path.join(cache, tgz), '-C', cache]);
    } catch (err) {
      throw new Error(
        `${name}@${version} is not installed and npm pack could not fetch it (${err instanceof Error ? err.message.split('\n')[0] : String(err)}): ` +
          'packaging for another platform needs the npm registry once',
      );
    }
  }
  return dir;
}

/**
 * Copies the runtime node_modules of the bundles into <stage>/node_modules, cut down to the target: only the files
 * each package needs, only the target's onnxruntime binaries (an error names any that is missing), left-out
 * dependencies taken out of the copied package.json files so `npm ls` (which vsce runs) sees a whole tree.
 */
export function stageRuntimeDeps(repo: string, stage: string, bundles: string[], target: Target): RuntimeDeps {
  const roots: Record<string, string> = {};
  const packages: StagedPackage[] = [];
  const dropped: string[] = [];
  const embedded: RuntimeDeps['embedded'] = [];
  const seen = new Set<string>();

  const visit = (name: string, fromDir: string, parent: string, outside?: string): void => {
    const plan = PLANS[name];
    const stubDir = plan?.stub ? path.join(__dirname, 'stubs', name) : undefined;
    const source = stubDir ?? outside ?? resolvePackage(repo, fromDir, name);
    if (!source) throw new Error(`${parent} needs ${name}, which is not installed: run npm install`);
    const rel = (stubDir ?? outside) ? path.join('node_modules', name) : path.relative(repo, source);
    if (seen.has(rel)) return;
    seen.add(rel);
    const pkg = readJson(path.join(source, 'package.json'));
    const files = plan?.files ? plan.files(target, source) : defaultFiles(source);
    for (const f of files) {
      const from = path.join(source, f);
      if (!fs.existsSync(from)) {
        if (f.startsWith(ORT_BIN(target))) {
          throw new Error(
            `onnxruntime-node has no ${path.basename(f)} for ${target.name} (looked in ${path.relative(repo, path.dirname(from))}): ` +
              'the VSIX cannot run there without it; reinstall onnxruntime-node (npm install) or drop the target',
          );
        }
        if (/^(readme|license)/i.test(path.basename(f))) continue;
        throw new Error(`${name} has no ${f}: packaging/runtimeDeps.ts expects it (was ${name} updated?)`);
      }
      const to = path.join(stage, rel, f);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
    }
    const kept: Record<string, string> = {};
    for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) {
      const why = plan?.drop?.[dep];
      if (why) {
        dropped.push(`${name} > ${dep}: ${why}`);
        const inside = plan?.embeds?.includes(dep) ? resolvePackage(repo, source, dep) : undefined;
        if (inside) embedded.push({ name: dep, dir: path.relative(repo, inside), host: name });
        continue;
      }
      const depStub = PLANS[dep]?.stub;
      if (depStub) {
        const stub = readJson(path.join(__dirname, 'stubs', dep, 'package.json'));
        kept[dep] = stub.version;
        dropped.push(`${name} > ${dep}: replaced by Infill's stand-in (packaging/stubs/${dep}): ${depStub}`);
      } else {
        kept[dep] = range;
      }
      visit(dep, source, name);
    }
    const optional: Record<string, string> = {};
    const wanted = plan?.platformPackage?.(target);
    const optionalDeps = (pkg.optionalDependencies ?? {}) as Record<string, string>;
    if (wanted) {
      const version = optionalDeps[wanted];
      if (!version)
        throw new Error(`${name} has no optional dependency ${wanted}: ${target.name} is not a platform it supports`);
      optional[wanted] = version;
      const others = Object.keys(optionalDeps).length - 1;
      if (others) dropped.push(`${name} > ${others} optional dependencies: its native binary for the other platforms`);
      visit(wanted, source, name, platformPackageDir(repo, wanted, version));
    }
    const staged = {
      ...pkg,
      dependencies: kept,
      ...(pkg.optionalDependencies ? { optionalDependencies: optional } : {}),
    };
    fs.writeFileSync(path.join(stage, rel, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
    const generic = outside ? name.replace(`${target.os}-${target.arch}`, '<platform>') : undefined;
    packages.push({
      name,
      version: pkg.version,
      dir: rel.split(path.sep).join('/'),
      stub: Boolean(stubDir),
      ...(generic ? { generic } : {}),
    });
  };

  for (const bundle of bundles) {
    for (const name of bundleExternals(bundle)) {
      if (PROVIDED.has(name)) continue;
      if (!PLANS[name]) {
        throw new Error(
          `${path.relative(repo, bundle)} requires "${name}" at runtime, and packaging does not know how to ship it: ` +
            'bundle it (esbuild.mjs) or add it to PLANS in packaging/runtimeDeps.ts',
        );
      }
      const resolved = resolvePackage(repo, repo, name);
      if (!resolved)
        throw new Error(`${path.relative(repo, bundle)} requires ${name}, which is not installed: run npm install`);
      roots[name] = readJson(path.join(resolved, 'package.json')).version;
      visit(name, repo, path.relative(repo, bundle));
    }
  }
  return {
    roots,
    packages: packages.sort((a, b) => a.dir.localeCompare(b.dir)),
    dropped: [...new Set(dropped)].sort(),
    embedded,
  };
}
