import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openModelFolder } from '../../src/core/engine/modelFolder';
import { downloadModel, partialDirOf, type DownloadOptions } from '../../src/core/models/downloader';
import { MANIFEST_NAME } from '../../src/core/models/manifest';
import { listInstalled } from '../../src/core/models/installed';
import { VARIANT_ONNX_FILES, type DownloadVariant } from '../../src/core/models/variantFiles';
import { verifyModelFolder } from '../../src/core/models/verify';
import { assertDownloadFits } from '../../src/core/hardware/fit';
import type { HardwareProfile } from '../../src/core/hardware/types';
import { FakeHub, FAKE_COMMIT } from '../helpers/fakeHub';
import { SHIPPED_MODEL, copyModel, tmpDir } from '../helpers/model';
import { rejectsWith } from '../helpers/rejects';

const REPO = 'infill-test/tiny-codellama';
const ONNX_Q8 = 'onnx/model_quantized.onnx';

describe('hub downloads (a loopback hub with a CDN on another port)', function () {
  this.timeout(60000);
  let hub: FakeHub;
  let home: string;
  const opts = (extra: Partial<DownloadOptions> = {}): DownloadOptions => ({
    endpoint: hub.endpoint,
    repo: REPO,
    variant: 'q8',
    dest: path.join(home, 'model'),
    retryDelayMs: 0,
    ...extra,
  });

  beforeEach(async () => {
    hub = new FakeHub();
    hub.addFolder(REPO, SHIPPED_MODEL);
    await hub.start();
    home = tmpDir('infill-hub-');
  });
  afterEach(async () => {
    await hub.stop();
  });

  it('lists the repository (all pages), follows the redirect to the CDN, verifies and renames the folder once complete', async () => {
    const progress: number[] = [];
    const r = await downloadModel(opts({ onProgress: (p) => progress.push(p.bytesDone) }));
    assert.equal(r.dir, path.join(home, 'model'));
    assert.equal(r.revision, FAKE_COMMIT);
    assert.equal(r.variant, 'q8');
    assert.deepEqual(r.files.map((f) => f.localPath).sort(), [
      'config.json',
      'generation_config.json',
      ONNX_Q8,
      'special_tokens_map.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    for (const f of r.files) {
      assert.ok(
        fs.readFileSync(path.join(r.dir, f.localPath)).equals(fs.readFileSync(path.join(SHIPPED_MODEL, f.path))),
        f.path,
      );
    }
    assert.ok(!fs.existsSync(path.join(r.dir, 'onnx', 'model.onnx')), 'only the chosen variant');
    assert.ok(!fs.existsSync(partialDirOf(r.dir)), 'no .partial folder is left');
    assert.ok(fs.existsSync(path.join(r.dir, MANIFEST_NAME)));
    assert.ok(
      hub.requests.filter((q) => q.url.includes('/tree/')).length > 1,
      'the tree listing was paginated and every page read',
    );
    assert.ok(
      hub.requests.some(
        (q) => q.server === 'cdn' && q.url.includes(r.files.find((f) => f.localPath === ONNX_Q8)!.sha256!),
      ),
      'the ONNX file came from the CDN',
    );
    assert.equal(r.bytesFetched, r.bytesTotal);
    assert.equal(progress.at(-1), r.bytesTotal, 'the last progress report is the whole size');
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]! >= progress[i - 1]!, 'progress never goes back');
    // The engine's loader takes the folder as it is, and the verifier checks every checksum.
    assert.equal(openModelFolder(r.dir, 'auto').variant, 'q8');
    const v = await verifyModelFolder(r.dir);
    assert.deepEqual(v.problems, []);
    assert.equal(v.checksummed, r.files.length);
    assert.deepEqual(
      listInstalled(home).models.map((m) => [m.repo, m.variant]),
      [[REPO, 'q8']],
    );
    // Pulling again is a no-op.
    const again = await downloadModel(opts());
    assert.equal(again.alreadyComplete, true);
  });

  it('a repository that does not exist: a clear 404 error, nothing created', async () => {
    await rejectsWith(
      downloadModel(opts({ repo: 'nobody/no-such-model' })),
      'model-not-found',
      /nobody\/no-such-model.*not found.*404/,
    );
    assert.deepEqual(fs.readdirSync(home), []);
  });

  it('a variant the repository lacks: says which ones it has', async () => {
    await rejectsWith(
      downloadModel(opts({ variant: 'fp16' })),
      'model-not-found',
      /no fp16 variant \(it has q8, fp32\)/,
    );
  });

  it('a connection cut mid-file is resumed with a Range request, and the file is right', async () => {
    hub.cutAfter.set(ONNX_Q8, 1 << 20);
    const r = await downloadModel(opts());
    const ranges = hub.requests.filter((q) => q.server === 'cdn' && q.range);
    assert.equal(ranges.length, 1, 'one resumed request');
    const start = Number(/bytes=(\d+)-/.exec(ranges[0]!.range!)![1]);
    assert.ok(start > 0 && start <= 1 << 20, `resumed from byte ${start}`);
    assert.ok(fs.readFileSync(path.join(r.dir, ONNX_Q8)).equals(hub.fileOf(REPO, ONNX_Q8)));
  });

  it('a file whose checksum is wrong is rejected: no final file, no model that looks complete', async () => {
    const bad = Buffer.from(hub.fileOf(REPO, ONNX_Q8));
    bad[bad.length >> 1] = bad[bad.length >> 1]! ^ 0xff;
    hub.tamper.set(ONNX_Q8, bad);
    await rejectsWith(downloadModel(opts()), 'checksum-mismatch', /model_quantized\.onnx.*sha256/);
    const dest = path.join(home, 'model');
    assert.ok(!fs.existsSync(dest), 'the model folder does not exist');
    const partial = partialDirOf(dest);
    assert.ok(!fs.existsSync(path.join(partial, ONNX_Q8)), 'the bad file was not kept under its final name');
    assert.ok(!fs.existsSync(path.join(partial, `${ONNX_Q8}.part`)), 'nor as a part to resume');
    assert.equal((await verifyModelFolder(partial)).ok, false);
    assert.deepEqual(listInstalled(home).models, []);
    // Once the hub serves the right bytes, the same call completes.
    hub.tamper.clear();
    assert.equal((await downloadModel(opts())).alreadyComplete, false);
  });

  it('cancel on a slow server leaves a clean, resumable state; the next call resumes with Range', async () => {
    hub.slowMs = 15;
    const abort = new AbortController();
    const p = downloadModel(
      opts({
        signal: abort.signal,
        onProgress: (pr) => {
          if (pr.file === ONNX_Q8 && pr.bytesDone > 2 << 20) abort.abort();
        },
      }),
    );
    await rejectsWith(p, 'cancelled', /cancelled/);
    const dest = path.join(home, 'model');
    const partial = partialDirOf(dest);
    assert.ok(!fs.existsSync(dest));
    const kept = fs.statSync(path.join(partial, `${ONNX_Q8}.part`)).size;
    assert.ok(kept > 0 && kept < hub.fileOf(REPO, ONNX_Q8).length, `a part of ${kept} bytes is kept`);
    assert.deepEqual(
      listInstalled(home).partial.map((x) => x.repo),
      [REPO],
    );

    hub.slowMs = 0;
    const r = await downloadModel(opts());
    assert.ok(r.bytesFetched < r.bytesTotal, 'the second call fetched only the rest');
    assert.ok(
      hub.requests.some((q) => q.server === 'cdn' && q.range === `bytes=${kept}-`),
      'resumed from the kept bytes',
    );
    assert.ok(fs.readFileSync(path.join(r.dir, ONNX_Q8)).equals(hub.fileOf(REPO, ONNX_Q8)));
  });

  it('a disk without room for the model: refused before any file is fetched', async () => {
    await rejectsWith(
      downloadModel(opts({ freeBytes: () => Promise.resolve(1_000_000) })),
      'disk-full',
      /needs \d+ MB, 1 MB is free/,
    );
    assert.ok(!hub.requests.some((q) => q.url.includes('/resolve/')), 'no file was requested');
    assert.ok(!fs.existsSync(path.join(home, 'model')));
  });

  it('offline mode makes no request at all', async () => {
    await rejectsWith(downloadModel(opts({ offline: true })), 'offline', /Offline mode is on/);
    assert.equal(hub.requests.length, 0);
  });

  it('refuses a download that cannot fit in memory before fetching a byte; without the check (--force) it downloads', async () => {
    const small: HardwareProfile = {
      platform: 'linux',
      arch: 'x64',
      cpu: { model: 'fixed', cores: 2 },
      memory: { totalBytes: 100e6, availableBytes: 80e6 },
      gpus: [],
      notes: [],
    };
    const fit = { contextTokens: 2048, cudaUsable: false };
    const err = await rejectsWith(
      downloadModel(opts({ beforeFetch: (v, files) => assertDownloadFits(REPO, v, files, small, fit) })),
      'model-too-large',
      /infill-test\/tiny-codellama \(q8\) cannot fit on this machine: it needs about \d+ MB \(weights \d+ MB \+ runtime 250 MB\); this machine has 0\.1 GB of memory and no GPU Infill can use/,
    );
    assert.match(err.fix, /--force/);
    assert.ok(!hub.requests.some((r) => r.url.includes('/resolve/')), 'no file was fetched');
    assert.ok(!fs.existsSync(partialDirOf(path.join(home, 'model'))), 'nothing was written');
    // A machine with room: the same check lets it through.
    const roomy = { ...small, memory: { totalBytes: 16e9, availableBytes: 8e9 } };
    const r = await downloadModel(opts({ beforeFetch: (v, files) => assertDownloadFits(REPO, v, files, roomy, fit) }));
    assert.equal(r.alreadyComplete, false);
    // --force leaves the check out: the download goes ahead on the small machine too.
    const forced = await downloadModel(opts({ dest: path.join(home, 'forced') }));
    assert.equal(forced.variant, 'q8');
  });

  it('an existing folder is never written into', async () => {
    fs.mkdirSync(path.join(home, 'model'));
    fs.writeFileSync(path.join(home, 'model', 'mine.txt'), 'keep');
    await rejectsWith(downloadModel(opts()), 'bad-arguments', /already exists/);
    assert.deepEqual(fs.readdirSync(path.join(home, 'model')), ['mine.txt']);
  });
});

describe('model folders: variant file names agree with the engine loader; the verifier finds damage', () => {
  it('each download variant file is what the engine loader takes for that variant', () => {
    for (const [variant, names] of Object.entries(VARIANT_ONNX_FILES) as [DownloadVariant, readonly string[]][]) {
      for (const name of names) {
        const dir = copyModel((d) => {
          fs.rmSync(path.join(d, 'onnx'), { recursive: true });
          fs.mkdirSync(path.join(d, 'onnx'));
          fs.writeFileSync(path.join(d, 'onnx', name), '');
        });
        assert.equal(openModelFolder(dir, variant).variant, variant, `${name} is ${variant} for the loader`);
      }
    }
  });

  it('verify: the shipped model is complete without a manifest; a missing tokenizer or a leftover part is a problem', async () => {
    const ok = await verifyModelFolder(SHIPPED_MODEL);
    assert.deepEqual(ok.problems, []);
    assert.match(ok.warnings.join('\n'), /no infill-manifest\.json/);
    assert.deepEqual(ok.graphs.map((g) => g.file).sort(), ['onnx/model.onnx', 'onnx/model_quantized.onnx']);
    const broken = copyModel((d) => {
      fs.rmSync(path.join(d, 'tokenizer.json'));
      fs.writeFileSync(path.join(d, 'onnx', 'model_fp16.onnx.part'), 'x');
    });
    const r = await verifyModelFolder(broken);
    assert.equal(r.ok, false);
    assert.match(r.problems.join('\n'), /tokenizer\.json is missing/);
    assert.match(r.problems.join('\n'), /unfinished download: onnx\/model_fp16\.onnx\.part/);
  });
});
