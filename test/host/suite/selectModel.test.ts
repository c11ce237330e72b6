// Infill: Select Model in a real extension host, driven through the workbench's quick pick commands: it lists the
// installed models and the catalog with sizes, downloads a catalog entry from a loopback hub (the configurable
// infill.hub.endpoint; the hub is the only fake), and picking an installed model sets infill.model.path.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CATALOG, formatBytes } from '../../../src/core/models/catalog';
import { MANIFEST_NAME } from '../../../src/core/models/manifest';
import type { InfillApi } from '../../../src/vscode/extension';
import type { ModelPickView } from '../../../src/vscode/selectModel';
import { FakeHub } from '../../helpers/fakeHub';

const ENTRY = CATALOG.find((e) => e.id === 'qwen2.5-coder-0.5b-instruct')!;

async function api(): Promise<InfillApi> {
  const ext = vscode.extensions.getExtension<InfillApi>('infill.infill');
  assert.ok(ext, 'the extension is installed');
  return ext.isActive ? ext.exports : ext.activate();
}

async function until<T>(what: string, f: () => T | undefined, ms = 15000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The open quick pick with this title. */
const shownPick = (infill: InfillApi, title: RegExp) =>
  until(`the quick pick ${String(title)}`, () => {
    const view = infill.modelPick();
    return view && title.test(view.title) ? view : undefined;
  });

/** Moves the quick pick's focus down to the item whose label matches, as the arrow keys do, and accepts it. */
async function choose(infill: InfillApi, label: RegExp): Promise<void> {
  const view = infill.modelPick()!;
  const items = view.items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator);
  assert.ok(
    items.some((i) => label.test(i.label)),
    `${String(label)} among ${items.map((i) => i.label).join(' | ')}`,
  );
  for (let step = 0; step <= items.length; step++) {
    const active = await until('the focused item', () => infill.modelPick()?.active, 3000).catch(() => undefined);
    if (active !== undefined && label.test(active)) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return;
    }
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`never reached ${String(label)} in the quick pick`);
}

describe('Infill: Select Model (the quick pick, with a loopback hub)', function () {
  this.timeout(120000);
  const hub = new FakeHub();
  const config = () => vscode.workspace.getConfiguration('infill');
  let shipped: string;

  before(async () => {
    shipped = path.join(vscode.extensions.getExtension('infill.infill')!.extensionPath, 'models', 'tiny-codellama');
    // The hub serves the shipped model's files under the catalog entry's repository name.
    hub.addFolder(ENTRY.repo, shipped);
    await hub.start();
    await config().update('hub.endpoint', hub.endpoint, vscode.ConfigurationTarget.Global);
    await config().update('model.path', undefined, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    for (const key of ['hub.endpoint', 'hub.offline', 'model.path'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await hub.stop();
  });

  it('lists the shipped model and the catalog with sizes; a catalog entry downloads (variant chosen) and becomes the model', async () => {
    const infill = await api();
    const done = vscode.commands.executeCommand('infill.selectModel');
    const view: ModelPickView = await shownPick(infill, /^Infill: Select Model$/);
    const labels = view.items.map((i) => i.label);
    assert.ok(labels.includes('On this machine') && labels.includes('Download: best fit first'), labels.join(' | '));
    assert.ok(
      labels.some((l) => /Shipped model \(tiny-codellama\)/.test(l) && l.startsWith('$(check)')),
      'the shipped model, marked as the current one',
    );
    // Ranked for this machine (src/core/hardware/recommend.ts): good, slow, tight, then what cannot fit or run.
    const offered = view.items.filter((i) => CATALOG.some((e) => i.detail?.startsWith(`${e.repo} ·`)));
    assert.equal(offered.length, CATALOG.length, 'every catalog entry is offered');
    for (const e of CATALOG) {
      const item = offered.find((i) => i.detail?.startsWith(`${e.repo} ·`))!;
      const size = e.sizes[e.recommended];
      if (size) assert.ok(item.detail?.includes(`${e.recommended} ${formatBytes(size)}`), `${e.id}: ${item.detail}`);
      assert.match(
        item.description ?? '',
        /^(q8|q4|fp16|fp32) · (fits in [\d.]+ of [\d.]+ GB|needs about|.*does not run|no chat template)/,
      );
    }
    const verdictOf = (label: string) => /^\$\(([\w-]+)\)/.exec(label)?.[1];
    const ORDER = ['pass', 'watch', 'warning', 'circle-slash'];
    const ranks = offered.map((i) => ORDER.indexOf(verdictOf(i.label) ?? ''));
    assert.ok(!ranks.includes(-1), offered.map((i) => i.label).join(' | '));
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => a - b),
      'best for this machine first',
    );
    assert.ok(
      offered.some((i) => verdictOf(i.label) === 'circle-slash' && /StarCoder/.test(i.label)),
      'a model that cannot run is marked so',
    );
    await choose(infill, /Qwen2\.5-Coder 0\.5B Instruct/);

    const variants = await shownPick(infill, /which variant\?/);
    assert.deepEqual(
      variants.items.map((i) => `${i.label} ${i.description}`),
      ['q8 650 MB · recommended for this machine', 'q4 875 MB', 'fp16 1.3 GB'],
    );
    await choose(infill, /^q8$/);
    await done;

    const dir = config().get<string>('model.path', '');
    assert.match(dir, /models[\\/]onnx-community--Qwen2\.5-Coder-0\.5B-Instruct-q8$/);
    assert.ok(fs.existsSync(path.join(dir, MANIFEST_NAME)), 'the download finished and was verified');
    assert.ok(
      fs
        .readFileSync(path.join(dir, 'onnx', 'model_quantized.onnx'))
        .equals(fs.readFileSync(path.join(shipped, 'onnx', 'model_quantized.onnx'))),
    );
    assert.ok(
      hub.requests.some((r) => r.server === 'hub' && r.url.includes(`/api/models/${ENTRY.repo}/tree/`)),
      'the file list came from the loopback hub',
    );
    assert.ok(
      hub.requests.some((r) => r.server === 'cdn'),
      'the ONNX file came from its CDN redirect',
    );

    // The downloaded folder (named owner--name-variant) loads in the engine host and completes.
    const r = await infill.client.request('complete', {
      prefix: 'def add(a, b):\n    return ',
      suffix: '\n',
      maxNewTokens: 4,
      fimOrder: 'auto',
      fimFamily: 'auto',
      kind: 'test',
    });
    assert.equal(typeof r.text, 'string');
    assert.equal(infill.status().state, 'ready', infill.status().detail);
    assert.equal(infill.status().model?.dir, dir);
    assert.equal(infill.status().model?.variant, 'q8');
  });

  it('the downloaded model is listed as installed with its size; picking it sets infill.model.path without a download', async () => {
    const infill = await api();
    await config().update('model.path', undefined, vscode.ConfigurationTarget.Global);
    const requests = hub.requests.length;
    const done = vscode.commands.executeCommand('infill.selectModel');
    const view = await shownPick(infill, /^Infill: Select Model$/);
    const installed = view.items.find((i) => i.label.endsWith(ENTRY.repo));
    assert.ok(installed, view.items.map((i) => i.label).join(' | '));
    assert.match(installed.description ?? '', /^q8 · \d+(\.\d)? MB$/);
    assert.ok(!view.items.some((i) => i.detail?.startsWith(`${ENTRY.repo} ·`)), 'no longer offered for download');
    await choose(infill, new RegExp(`${ENTRY.repo.replace(/[.]/g, '\\.')}$`));
    await done;
    assert.equal(config().get<string>('model.path'), installed.detail);
    assert.equal(hub.requests.length, requests, 'nothing was downloaded again');
  });

  it('offline: only what is on this machine and a folder; closing the pick changes nothing', async () => {
    const infill = await api();
    await config().update('hub.offline', true, vscode.ConfigurationTarget.Global);
    const before = config().get<string>('model.path');
    const done = vscode.commands.executeCommand('infill.selectModel');
    const view = await shownPick(infill, /^Infill: Select Model$/);
    assert.ok(
      !view.items.some(
        (i) => i.label.includes('$(cloud-download)') || CATALOG.some((e) => i.detail?.startsWith(`${e.repo} ·`)),
      ),
      view.items.map((i) => i.label).join(' | '),
    );
    assert.ok(
      view.items.some((i) => i.label.endsWith(ENTRY.repo)),
      'the installed model is still offered',
    );
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await done;
    assert.equal(config().get<string>('model.path'), before);
  });
});
