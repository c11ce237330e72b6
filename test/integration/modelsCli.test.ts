import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FakeHub } from '../helpers/fakeHub';
import { REPO_ROOT, SHIPPED_MODEL, tmpDir } from '../helpers/model';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const DEMO = path.join(REPO_ROOT, 'examples', 'demo.py');

/** The CLI as a subprocess, asynchronously (the loopback hub runs in this process and must keep answering). */
function infill(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, HF_ENDPOINT: '', HF_HUB_OFFLINE: '', ...env },
    });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function assertOneLineError(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^infill: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

describe('infill models (the built CLI against a loopback hub)', function () {
  this.timeout(180000);
  let hub: FakeHub;
  before(async function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
    hub = new FakeHub();
    hub.addFolder('infill-test/tiny-codellama', SHIPPED_MODEL);
    await hub.start();
  });
  after(async () => {
    await hub.stop();
  });

  it('pull the shipped model through the hub, verify it, then complete examples/demo.py with it', async () => {
    const dir = path.join(tmpDir('infill-pull-'), 'tiny');
    const pull = await infill([
      'models',
      'pull',
      'infill-test/tiny-codellama',
      '--endpoint',
      hub.endpoint,
      '--dir',
      dir,
      '--variant',
      'q8',
    ]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.equal(pull.stdout.trim(), dir);
    assert.match(pull.stderr, /infill-test\/tiny-codellama \(q8\).*6 files.*verified/);

    const verify = await infill(['models', 'verify', dir, '--json']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    const report = JSON.parse(verify.stdout) as { ok: boolean; checksummed: number; manifest: { repo: string } };
    assert.equal(report.ok, true);
    assert.equal(report.checksummed, 6);
    assert.equal(report.manifest.repo, 'infill-test/tiny-codellama');

    const complete = await infill(['complete', `${DEMO}:7:9`, '--model', dir, '--json', '--max-tokens', '12']);
    assert.equal(complete.code, 0, complete.stderr);
    const out = JSON.parse(complete.stdout) as { completion: string; generatedTokens: number; model: string };
    assert.equal(typeof out.completion, 'string');
    assert.ok(out.generatedTokens >= 1 && out.generatedTokens <= 12);

    // A damaged file is caught by verify (text mode: exit 2, one line on stderr).
    const onnx = path.join(dir, 'onnx', 'model_quantized.onnx');
    const bytes = fs.readFileSync(onnx);
    bytes[100] = bytes[100]! ^ 0xff;
    fs.writeFileSync(onnx, bytes);
    const bad = await infill(['models', 'verify', dir]);
    assertOneLineError(bad, /not a complete model: onnx\/model_quantized\.onnx fails its sha256 checksum/);
    assert.match(bad.stdout, /NOT usable/);
  });

  it('HF_ENDPOINT is honoured; errors are one line: 404, offline, bad variant', async () => {
    const home = tmpDir('infill-pull-');
    const missing = await infill(['models', 'pull', 'nobody/nothing', '--dir', path.join(home, 'x')], {
      HF_ENDPOINT: hub.endpoint,
    });
    assertOneLineError(missing, /nobody\/nothing.*not found on http:\/\/127\.0\.0\.1:\d+ \(HTTP 404\)/);
    const before = hub.requests.length;
    const offline = await infill([
      'models',
      'pull',
      'infill-test/tiny-codellama',
      '--endpoint',
      hub.endpoint,
      '--dir',
      path.join(home, 'y'),
      '--offline',
    ]);
    assertOneLineError(offline, /Offline mode is on/);
    assert.equal(hub.requests.length, before, 'offline: no request');
    const variant = await infill([
      'models',
      'pull',
      'infill-test/tiny-codellama',
      '--endpoint',
      hub.endpoint,
      '--dir',
      path.join(home, 'z'),
      '--variant',
      'fp16',
    ]);
    assertOneLineError(variant, /no fp16 variant \(it has q8, fp32\)/);
  });

  it('list shows the catalog with sizes, and what is installed', async () => {
    const home = tmpDir('infill-home-');
    const pull = await infill(
      ['models', 'pull', 'infill-test/tiny-codellama', '--endpoint', hub.endpoint, '--variant', 'fp32'],
      { INFILL_MODELS_DIR: home },
    );
    assert.equal(pull.code, 0, pull.stderr);
    assert.equal(pull.stdout.trim(), path.join(home, 'infill-test--tiny-codellama-fp32'));
    const list = await infill(['models', 'list'], { INFILL_MODELS_DIR: home });
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /qwen2\.5-coder-0\.5b-instruct\s+onnx-community\/Qwen2\.5-Coder-0\.5B-Instruct/);
    assert.match(list.stdout, /q8 650 MB\*/);
    assert.match(list.stdout, /infill-test--tiny-codellama-fp32\s+infill-test\/tiny-codellama fp32/);
    const json = JSON.parse((await infill(['models', 'list', '--json'], { INFILL_MODELS_DIR: home })).stdout) as {
      installed: { variant: string }[];
      catalog: unknown[];
    };
    assert.deepEqual(
      json.installed.map((m) => m.variant),
      ['fp32'],
    );
    assert.ok(json.catalog.length >= 8);
  });

  it('a pull into the default models folder (XDG_CACHE_HOME, folder owner--name) loads and completes from there', async () => {
    const cache = path.join(tmpDir('infill-xdg-'), 'cache with space');
    const pull = await infill(['models', 'pull', 'infill-test/tiny-codellama', '--endpoint', hub.endpoint], {
      XDG_CACHE_HOME: cache,
      INFILL_MODELS_DIR: '',
    });
    assert.equal(pull.code, 0, pull.stderr);
    const dir = pull.stdout.trim();
    assert.equal(dir, path.join(cache, 'infill', 'models', 'infill-test--tiny-codellama'));
    const complete = await infill(['complete', `${DEMO}:7:9`, '--model', dir, '--json', '--max-tokens', '12']);
    assert.equal(complete.code, 0, complete.stderr);
    const out = JSON.parse(complete.stdout) as { completion: string; generatedTokens: number; model: string };
    assert.ok(out.generatedTokens >= 1 && out.generatedTokens <= 12, complete.stdout);
    assert.equal(typeof out.completion, 'string');
    // Human-readable output too: the ghost text, no error.
    const text = await infill(['complete', `${DEMO}:7:9`, '--model', dir, '--max-tokens', '12']);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stderr, /Cannot load/);
  });
});
