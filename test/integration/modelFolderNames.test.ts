// Model folders load whatever they are called. `infill models pull` names a folder `owner--name`, and users keep
// models under folders with spaces, non-ASCII letters, `..` in the path they type, or a symlink. transformers.js once
// read such names as hub ids relative to the working directory, and the tokenizer failed to load (issue 18).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine';
import { localModelFolder } from '../../src/core/engine/localModelFolder';
import { Tokenizer } from '../../src/core/engine/tokenizer';
import { REPO_ROOT, SHIPPED_MODEL, tmpDir } from '../helpers/model';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const MODEL_FILES = [
  'config.json',
  'generation_config.json',
  'special_tokens_map.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'onnx/model_quantized.onnx',
];

/** A copy of the shipped model (its q8 graph) in `dir`. */
function modelAt(dir: string): string {
  for (const f of MODEL_FILES) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(SHIPPED_MODEL, f), path.join(dir, f));
  }
  return dir;
}

describe('model folders of any name load and complete (real tokenizer, real onnxruntime)', function () {
  this.timeout(300000);
  const root = tmpDir('infill-names-');
  let reference: number[];
  const PROMPT = 'def add(a, b):\n    return ';

  async function greedy(dir: string): Promise<number[]> {
    const engine = await Engine.load({ modelDir: dir, provider: 'cpu', threads: 1 });
    try {
      const r = await engine.generate({ promptIds: [1, ...engine.tokenizer.encode(PROMPT)], maxNewTokens: 6 });
      return r.tokens;
    } finally {
      await engine.dispose();
    }
  }

  before(async () => {
    reference = await greedy(modelAt(path.join(root, 'plain')));
    assert.ok(reference.length > 0);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const cases: [string, () => string][] = [
    [
      'a name with -- (what models pull writes)',
      () => modelAt(path.join(root, 'onnx-community--Qwen2.5-Coder-0.5B-Instruct-q8')),
    ],
    ['a name with spaces', () => modelAt(path.join(root, 'my models', 'code llama 7b'))],
    ['a non-ASCII name', () => modelAt(path.join(root, 'ünïcode-模型'))],
    [
      'a path with .. in it',
      () => {
        modelAt(path.join(root, 'deep', 'model'));
        return path.join(root, 'deep', 'other', '..', 'model');
      },
    ],
    ['a relative path', () => path.relative(process.cwd(), modelAt(path.join(root, 'relative--one')))],
    [
      'a symlinked folder',
      () => {
        const real = modelAt(path.join(root, 'real'));
        const link = path.join(root, 'link--to model');
        fs.symlinkSync(real, link, 'dir');
        return link;
      },
    ],
    ['a name that is a valid hub id (owner/name shape)', () => modelAt(path.join(root, 'owner', 'name'))],
  ];
  for (const [what, make] of cases) {
    it(`${what}: the tokenizer and engine load, and generate what the same files do in a plain folder`, async () => {
      const dir = make();
      assert.deepEqual(await greedy(dir), reference);
    });
  }

  it('a name that a hub id could shadow reads the folder, not a same-named folder under the working directory', async () => {
    // A decoy `owner/name` relative to a working directory must not be what loads.
    const cwd = tmpDir('infill-cwd-');
    fs.mkdirSync(path.join(cwd, 'owner', 'name'), { recursive: true });
    fs.writeFileSync(path.join(cwd, 'owner', 'name', 'tokenizer.json'), '{ not json');
    const dir = modelAt(path.join(root, 'shadow', 'owner', 'name'));
    const was = process.cwd();
    process.chdir(cwd);
    try {
      assert.ok((await Tokenizer.load(dir)).size > 32000);
    } finally {
      process.chdir(was);
    }
  });

  it('the CLI completes with a folder named owner--name given by a relative path with ..', () => {
    const dir = modelAt(path.join(root, 'cli', 'infill-test--tiny-codellama-q8'));
    const rel = path.relative(REPO_ROOT, path.join(root, 'cli', 'x', '..', 'infill-test--tiny-codellama-q8'));
    const r = spawnSync(
      process.execPath,
      [CLI, 'complete', 'examples/demo.py:7:9', '--model', rel, '--json', '--max-tokens', '8'],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { completion: string; generatedTokens: number; model: string };
    assert.equal(typeof out.completion, 'string');
    assert.ok(out.generatedTokens >= 1, r.stdout);
    assert.ok(fs.existsSync(dir));
  });

  it('Windows paths: drive-letter and UNC folders are absolute, so never taken for a hub id', function () {
    assert.equal(
      localModelFolder('C:\\Users\\me\\models\\owner--name', path.win32),
      'C:\\Users\\me\\models\\owner--name',
    );
    assert.equal(localModelFolder('\\\\server\\share\\ünï code', path.win32), '\\\\server\\share\\ünï code');
    assert.equal(localModelFolder('C:\\models\\a\\..\\b--c', path.win32), 'C:\\models\\b--c');
  });

  it('on Windows: a model under a drive-letter path with backslashes loads', async function () {
    if (process.platform !== 'win32') this.skip(); // runs where Windows paths are real
    const dir = modelAt(path.join(root, 'win--style'));
    assert.deepEqual(await greedy(dir.replace(/\//g, '\\')), reference);
  });
});
