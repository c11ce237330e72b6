// The engine's two runtimes on the CPU: onnxruntime's C API with IO binding (through koffi, the default) and
// onnxruntime-node's session API (the fallback, or --io-binding off). Both load the real shipped model.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine';
import { InfillError } from '../../src/core/errors';
import { ORT_API_SLOTS } from '../../src/core/engine/native/ortApiSlots';
import { NativeSession } from '../../src/core/engine/native/nativeSession';
import { loadOrtApi, OrtCallError, ortLibraryPath } from '../../src/core/engine/native/ortLibrary';
import { REPO_ROOT, SHIPPED_MODEL, copyModel } from '../helpers/model';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'stats.py');
const WITHOUT_KOFFI = path.join(REPO_ROOT, 'test', 'fixtures', 'without-koffi.cjs');

function infill(nodeArgs: string[], ...args: string[]) {
  const r = spawnSync(process.execPath, [...nodeArgs, CLI, ...args], { encoding: 'utf8', timeout: 120000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("IO binding: onnxruntime's C API next to onnxruntime-node's session API", function () {
  this.timeout(180000);

  it('loads the C API from the library onnxruntime-node ships, at the version onnxruntime-node reports', () => {
    const api = loadOrtApi();
    assert.equal(api.libraryPath, ortLibraryPath());
    const ortPackage = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8'),
    ) as { version: string };
    assert.equal(api.version, ortPackage.version);
    assert.ok(Object.keys(ORT_API_SLOTS).length > 30);
  });

  it('an onnxruntime error comes back as an exception with its message (a status, not a crash)', () => {
    assert.throws(
      () => NativeSession.create('/no/such/model.onnx', { threads: 1, spinWhileBusy: false }),
      (err: Error) =>
        err instanceof OrtCallError && err.call === 'CreateSession' && err.message.includes('/no/such/model.onnx'),
    );
  });

  it('reads the same graph inputs and outputs as onnxruntime-node, and generates the same tokens', async () => {
    const bound = await Engine.load({ modelDir: SHIPPED_MODEL, provider: 'cpu', threads: 2, ioBinding: true });
    const plain = await Engine.load({ modelDir: SHIPPED_MODEL, provider: 'cpu', threads: 2, ioBinding: false });
    try {
      assert.equal(bound.info.runtime, 'io-binding');
      assert.equal(plain.info.runtime, 'session-api');
      assert.match(bound.info.providerNote, /^execution provider: CPU, IO binding \(onnxruntime \d+\.\d+\.\d+\)$/);
      assert.deepEqual(bound.info.signature, plain.info.signature);
      assert.equal(bound.info.kvLayout, plain.info.kvLayout);
      const prefix = fs.readFileSync(EXAMPLE, 'utf8');
      for (const maxNewTokens of [1, 40]) {
        const a = await bound.complete(prefix, '\n', { maxNewTokens });
        const b = await plain.complete(prefix, '\n', { maxNewTokens });
        assert.deepEqual(a.tokens, b.tokens, `${maxNewTokens} tokens`);
      }
    } finally {
      await bound.dispose();
      await plain.dispose();
    }
  });

  for (const ioBinding of [true, false]) {
    it(`a damaged ONNX file is an actionable error that names onnxruntime's reason (${ioBinding ? 'IO binding' : 'session API'})`, async () => {
      const dir = copyModel((d) => {
        for (const f of fs.readdirSync(path.join(d, 'onnx'))) {
          const file = path.join(d, 'onnx', f);
          const bytes = fs.readFileSync(file);
          fs.rmSync(file);
          fs.writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
        }
      });
      try {
        await assert.rejects(
          Engine.load({ modelDir: dir, provider: 'cpu', threads: 1, ioBinding }),
          (err: unknown) =>
            err instanceof InfillError &&
            err.code === 'model-corrupt' &&
            /Cannot load .*model.*\.onnx with the CPU provider: \S/.test(err.message) &&
            /rebuild or download/.test(err.fix ?? ''),
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  describe('the CLI (the built bundle)', () => {
    before(function () {
      if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
    });

    it('where koffi cannot load, falls back to the session API, says why, and completes the same text', () => {
      const bound = infill([], 'complete', `${EXAMPLE}:9:1`, '--json', '--max-tokens', '12');
      assert.equal(bound.code, 0, bound.stderr);
      const fallback = infill(
        ['--require', WITHOUT_KOFFI],
        'complete',
        `${EXAMPLE}:9:1`,
        '--json',
        '--max-tokens',
        '12',
      );
      assert.equal(fallback.code, 0, fallback.stderr);
      const a = JSON.parse(bound.stdout) as { runtime: string; completion: string };
      const b = JSON.parse(fallback.stdout) as { runtime: string; completion: string };
      assert.equal(a.runtime, 'io-binding');
      assert.equal(b.runtime, 'session-api');
      assert.equal(b.completion, a.completion);
      const text = infill(['--require', WITHOUT_KOFFI], 'complete', `${EXAMPLE}:9:1`, '--max-tokens', '4');
      assert.equal(text.code, 0, text.stderr);
      assert.match(
        text.stderr,
        /# execution provider: CPU \(.*IO binding unavailable, using onnxruntime-node's session API: Cannot find module 'koffi'/,
      );
    });

    it('--io-binding off runs the session API; a bad value is a one-line error', () => {
      const off = infill([], 'complete', `${EXAMPLE}:9:1`, '--json', '--max-tokens', '4', '--io-binding', 'off');
      assert.equal(off.code, 0, off.stderr);
      assert.equal((JSON.parse(off.stdout) as { runtime: string }).runtime, 'session-api');
      const bad = infill([], 'complete', `${EXAMPLE}:9:1`, '--io-binding', 'maybe');
      assert.equal(bad.code, 2);
      assert.match(bad.stderr.trim(), /^infill: .*--io-binding.*\bon\b.*\boff\b/);
      assert.equal(bad.stderr.trim().split('\n').length, 1);
    });
  });
});
