import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as yauzl from 'yauzl';
import { BUDGET_BYTES, findTarget, TARGETS } from '../../packaging/targets';
import { llama2LicenseText } from '../../packaging/notices';
import { buildVsix, readmeImages, shippedGraph, type VsixResult } from '../../packaging/vsix';
import { EngineClient } from '../../src/engine-client/client';
import { REPO_ROOT, tmpDir } from '../helpers/model';

const execFileP = promisify(execFile);

/** Unpacks a VSIX (a zip) into dir. */
async function unzip(file: string, dir: string): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z)));
  });
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      const to = path.join(dir, entry.fileName);
      if (!to.startsWith(dir + path.sep)) return reject(new Error(`entry outside the folder: ${entry.fileName}`));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        // Keep the permission bits (esbuild's binary must stay executable), as VS Code does when it installs a VSIX.
        const mode = (entry.externalFileAttributes >>> 16) & 0o777;
        stream
          .pipe(fs.createWriteStream(to, { mode: mode || 0o644 }))
          .on('finish', () => zip.readEntry())
          .on('error', reject);
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
}

describe('the linux-x64 VSIX (npm run package)', function () {
  this.timeout(180000);
  let vsix: VsixResult;
  // Unpacked outside the repository, so nothing can be found in the development folder's node_modules or models.
  let ext: string;

  const scratch: string[] = [];

  before(async () => {
    scratch.push(tmpDir('infill-vsix-out-'), tmpDir('infill-vsix-unpacked-'));
    vsix = await buildVsix(findTarget('linux-x64'), scratch[0]!);
    await unzip(vsix.file, scratch[1]!);
    ext = path.join(scratch[1]!, 'extension');
  });

  after(() => {
    for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
  });

  it("carries the bundles, the shipped model, the notices and the linux-x64 onnxruntime, and no other platform's", () => {
    const has = (f: string) => vsix.entries.includes(`extension/${f}`);
    for (const f of [
      'dist/extension.js',
      'dist/engine-host.js',
      'dist/cli.js',
      'dist/webview/chat.js',
      'package.json',
      'LICENSE.txt',
      'THIRD_PARTY_NOTICES.md',
      'models/tiny-codellama/config.json',
      'models/tiny-codellama/tokenizer.json',
      'models/tiny-codellama/LICENSE-LLAMA2.md',
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
      'node_modules/@huggingface/transformers/dist/transformers.node.cjs',
    ]) {
      assert.ok(has(f), `the VSIX lacks ${f}`);
    }
    for (const f of readmeImages(REPO_ROOT)) assert.ok(has(f), `the VSIX lacks ${f}, which README.md shows`);
    // One graph of the shipped model: the one the engine opens (variant auto), not every variant in the repository.
    assert.equal(shippedGraph(REPO_ROOT), 'models/tiny-codellama/onnx/model_quantized.onnx');
    assert.deepEqual(
      vsix.entries.filter((e) => e.startsWith('extension/models/tiny-codellama/onnx/')),
      ['extension/models/tiny-codellama/onnx/model_quantized.onnx'],
    );
    const esbuildBinaries = vsix.entries.filter((e) => e.includes('node_modules/@esbuild/'));
    assert.ok(esbuildBinaries.includes('extension/node_modules/@esbuild/linux-x64/bin/esbuild'));
    assert.deepEqual(
      esbuildBinaries.filter((e) => !e.includes('@esbuild/linux-x64/')),
      [],
    );
    const koffiBinaries = vsix.entries.filter((e) => e.endsWith('/koffi.node'));
    assert.ok(
      koffiBinaries.includes('extension/node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node'),
      koffiBinaries.join(', '),
    );
    assert.deepEqual(
      koffiBinaries.filter((e) => !e.includes('@koromix/koffi-linux-x64/')),
      [],
      'koffi binaries of other platforms',
    );
    const binaries = vsix.entries.filter((e) => e.includes('/bin/napi-v6/'));
    assert.deepEqual(
      binaries.filter((e) => !e.includes('/napi-v6/linux/x64/')),
      [],
      'binaries of other platforms',
    );
    assert.equal(binaries.length, 2);
  });

  it('carries no sources, tests, maps, build scripts or packages Infill does not run', () => {
    const bad = vsix.entries.filter(
      (e) =>
        /^extension\/(src|test|bench|examples|packaging|models\/build)\//.test(e) ||
        /\.(map|ts)$/.test(e) ||
        e.includes('dist/test-host') ||
        /node_modules\/(onnxruntime-web|@img|adm-zip|global-agent|@huggingface\/jinja|@huggingface\/tokenizers)\//.test(
          e,
        ),
    );
    assert.deepEqual(bad, []);
    const sharp = JSON.parse(fs.readFileSync(path.join(ext, 'node_modules', 'sharp', 'package.json'), 'utf8')) as {
      version: string;
    };
    assert.match(sharp.version, /infill-stub/, 'sharp is the stand-in, not the native package');
    const manifest = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest.main, './dist/extension.js');
    assert.equal(manifest.devDependencies, undefined);
    assert.equal(manifest.scripts, undefined);
  });

  it(`is at most ${BUDGET_BYTES / 1024 / 1024} MB without the model, and the notices list what it carries`, () => {
    assert.ok(vsix.modelBytes > 1_000_000, 'the model is inside');
    assert.ok(vsix.bytes - vsix.modelBytes <= BUDGET_BYTES, `${vsix.bytes - vsix.modelBytes} bytes without the model`);
    for (const p of vsix.deps.packages.filter((x) => !x.stub)) {
      assert.ok(
        vsix.notices.includes(`[${p.generic ?? p.name}](`) && vsix.notices.includes(`| ${p.version} |`),
        `${p.name} is not in the notices`,
      );
    }
    assert.match(vsix.notices, /LLAMA 2 Community License/);
    // The vocabulary's license, in full (title to section 7), in the notices and beside the model.
    const llama2 = llama2LicenseText(REPO_ROOT);
    assert.ok(
      vsix.notices.includes(
        llama2
          .split('\n')
          .map((l) => (l ? `    ${l}` : ''))
          .join('\n'),
      ),
      'the notices lack the Llama 2 license text',
    );
    assert.ok(
      fs.readFileSync(path.join(ext, 'models', 'tiny-codellama', 'LICENSE-LLAMA2.md'), 'utf8').includes(llama2),
    );
    assert.match(llama2, /^LLAMA 2 COMMUNITY LICENSE AGREEMENT\s*\nLlama 2 Version Release Date: July 18, 2023\n/);
    assert.ok(
      fs.readFileSync(path.join(REPO_ROOT, 'THIRD_PARTY_NOTICES.md'), 'utf8') === vsix.notices,
      'THIRD_PARTY_NOTICES.md is out of date: run npm run package',
    );
  });

  it('the CLI from the unpacked VSIX completes examples/demo.py:7:9 with the model inside it', async () => {
    const { stdout } = await execFileP(
      process.execPath,
      [
        path.join(ext, 'dist', 'cli.js'),
        'complete',
        `${path.join(REPO_ROOT, 'examples', 'demo.py')}:7:9`,
        '--json',
        '--provider',
        'cpu',
        '--max-tokens',
        '16',
      ],
      { cwd: path.dirname(ext), env: { ...process.env, NODE_PATH: '' } },
    );
    const r = JSON.parse(stdout) as {
      completion: string;
      generatedTokens: number;
      fimFormat: string;
      stopReason: string;
    };
    assert.equal(typeof r.completion, 'string');
    assert.ok(r.generatedTokens > 0);
    assert.match(r.fimFormat, /^codellama-/);
  });

  it('the engine host from the unpacked VSIX loads the shipped model and completes, on the C API with IO binding', async () => {
    const c = new EngineClient({
      hostScript: path.join(ext, 'dist', 'engine-host.js'),
      loadParams: () => ({
        modelDir: path.join(ext, 'models', 'tiny-codellama'),
        variant: 'auto',
        provider: 'cpu',
        threads: 1,
        ioBinding: true,
      }),
      idleMs: () => 0,
      log: () => undefined,
      onStatus: () => undefined,
      backoffMs: () => 200,
    });
    try {
      const r = await c.request('complete', {
        prefix: 'def mean(values):\n    ',
        suffix: '\n',
        maxNewTokens: 8,
        fimOrder: 'auto',
        fimFamily: 'auto',
        kind: 'inline',
      });
      // The model ran: it read the prompt and ended the middle (with ▁<EOT>) or at the token limit.
      assert.ok(r.promptTokens! > 0);
      assert.ok(['stop-token', 'max-tokens', 'eos'].includes(r.stopReason), r.stopReason);
      assert.equal(c.current.model?.provider, 'cpu');
      // koffi and its linux-x64 binary came along: the C API with IO binding runs, not the fallback.
      assert.match(c.current.model?.providerNote ?? '', /^execution provider: CPU, IO binding \(onnxruntime \d/);
    } finally {
      c.dispose();
    }
  });

  it("esbuild from the unpacked VSIX (the sandbox's TypeScript transpiler) runs its binary", async () => {
    const script = `require(${JSON.stringify(path.join(ext, 'node_modules', 'esbuild'))}).transform('const x: number = 1', { loader: 'ts' }).then((r) => process.stdout.write(r.code))`;
    const { stdout } = await execFileP(process.execPath, ['-e', script], { cwd: path.dirname(ext) });
    assert.equal(stdout.trim(), 'const x = 1;');
  });

  it('refuses to package a platform whose onnxruntime binary is missing, naming it', async () => {
    const linux = TARGETS.find((t) => t.name === 'linux-x64')!;
    const out = tmpDir();
    scratch.push(out);
    await assert.rejects(
      buildVsix({ ...linux, binaries: [...linux.binaries, 'libonnxruntime_providers_missing.so'] }, out),
      /onnxruntime-node has no libonnxruntime_providers_missing\.so for linux-x64/,
    );
  });
});
