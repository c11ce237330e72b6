import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, copyModel } from '../helpers/model';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'stats.py');

function infill(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Bad input: exit code 2 and one line on stderr that names the problem, with no stack trace. */
function assertOneLineError(r: ReturnType<typeof infill>, pattern: RegExp) {
  assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got: ${r.stderr}`);
  assert.match(lines[0]!, /^infill: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(r.stdout, '');
}

describe('infill CLI (the built bundle, as a subprocess)', function () {
  this.timeout(180000);
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
  });

  it('--help and --version', () => {
    const help = infill('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /infill complete FILE:LINE:COL/);
    const version = infill('--version');
    assert.equal(
      version.stdout.trim(),
      (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    );
  });

  it('complete --json prints one object with the completion and its timings', () => {
    const r = infill('complete', `${EXAMPLE}:9:1`, '--json', '--max-tokens', '16');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.deepEqual(
      Object.keys(out).sort(),
      [
        'completion',
        'executionProvider',
        'fimFormat',
        'generatedTokens',
        'model',
        'promptTokens',
        'reusedTokens',
        'runtime',
        'stopReason',
        'timeToFirstTokenMs',
        'tokensPerSecond',
        'totalMs',
      ].sort(),
    );
    assert.equal(out['runtime'], 'io-binding');
    assert.equal(typeof out['completion'], 'string');
    assert.equal(out['executionProvider'], 'cpu');
    assert.equal(out['fimFormat'], 'codellama-spm', 'line 9 column 1: the prefix ends a line');
    assert.ok((out['generatedTokens'] as number) <= 16);
    assert.ok((out['promptTokens'] as number) > 100);
  });

  it('complete in the middle of a line uses PSM; --fim psm forces it; text output is the completion', () => {
    const mid = JSON.parse(infill('complete', `${EXAMPLE}:8:12`, '--json', '--max-tokens', '4').stdout) as {
      fimFormat: string;
    };
    assert.equal(mid.fimFormat, 'codellama-psm');
    const forced = JSON.parse(
      infill('complete', `${EXAMPLE}:9:1`, '--json', '--max-tokens', '4', '--fim', 'psm').stdout,
    ) as { fimFormat: string; completion: string };
    assert.equal(forced.fimFormat, 'codellama-psm');
    const text = infill('complete', `${EXAMPLE}:9:1`, '--max-tokens', '4', '--fim', 'psm');
    assert.equal(text.code, 0);
    assert.equal(text.stdout.replace(/\n$/, ''), forced.completion.replace(/\n$/, ''));
    assert.match(text.stderr, /tokens\/s on cpu/);
  });

  describe('bad input: one line, the fix, exit code 2', () => {
    it('a missing file', () =>
      assertOneLineError(infill('complete', 'no/such/file.py:1:1'), /Cannot read no\/such\/file\.py/));
    it('a position out of range', () =>
      assertOneLineError(infill('complete', `${EXAMPLE}:999:1`), /Line 999 is outside the file/));
    it('a column out of range', () =>
      assertOneLineError(infill('complete', `${EXAMPLE}:1:500`), /Column 500 is outside line 1/));
    it('not FILE:LINE:COL', () => assertOneLineError(infill('complete', EXAMPLE), /is not FILE:LINE:COL/));
    it('an unknown option value', () =>
      assertOneLineError(
        infill('complete', `${EXAMPLE}:1:1`, '--fim', 'xyz'),
        /--fim xyz is not one of auto, psm, spm/,
      ));
    it('a model folder that does not exist', () =>
      assertOneLineError(
        infill('complete', `${EXAMPLE}:1:1`, '--model', '/no/such/model'),
        /Model folder \/no\/such\/model does not exist/,
      ));

    it('a model folder without ONNX files', () => {
      const dir = copyModel((d) => fs.rmSync(path.join(d, 'onnx'), { recursive: true }));
      assertOneLineError(infill('complete', `${EXAMPLE}:1:1`, '--model', dir), /has no onnx\/model\*\.onnx/);
    });

    it('a corrupt config.json', () => {
      const dir = copyModel((d) => fs.writeFileSync(path.join(d, 'config.json'), '{"model_type": "llama",'));
      assertOneLineError(infill('complete', `${EXAMPLE}:1:1`, '--model', dir), /config\.json is not valid JSON/);
    });

    it('a truncated ONNX file', () => {
      const dir = copyModel((d) => {
        for (const f of fs.readdirSync(path.join(d, 'onnx'))) {
          const p = path.join(d, 'onnx', f);
          fs.writeFileSync(p, fs.readFileSync(p).subarray(0, 4096));
        }
      });
      assertOneLineError(
        infill('complete', `${EXAMPLE}:1:1`, '--model', dir, '--provider', 'cpu'),
        /Cannot load .*model.*\.onnx with the CPU provider.*download the model again/,
      );
    });

    it('a tokenizer that does not fit the model', () => {
      const dir = copyModel((d) => {
        const config = JSON.parse(fs.readFileSync(path.join(d, 'config.json'), 'utf8')) as Record<string, unknown>;
        config['vocab_size'] = 32000;
        fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify(config));
      });
      assertOneLineError(
        infill('complete', `${EXAMPLE}:1:1`, '--model', dir),
        /tokenizer has 32016 tokens but the model's vocabulary is 32000/,
      );
    });

    it('a model with no FIM tokens asked to infill', () => {
      const dir = copyModel((d) => {
        const file = path.join(d, 'tokenizer.json');
        const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
          added_tokens: { id: number }[];
          model: { vocab: Record<string, number> };
        };
        json.added_tokens = json.added_tokens.filter((t) => t.id < 32000);
        for (const [k, v] of Object.entries(json.model.vocab)) if (v >= 32000) delete json.model.vocab[k];
        fs.writeFileSync(file, JSON.stringify(json));
        const cfgFile = path.join(d, 'tokenizer_config.json');
        const cfg = JSON.parse(fs.readFileSync(cfgFile, 'utf8')) as Record<string, unknown>;
        delete cfg['added_tokens_decoder'];
        cfg['additional_special_tokens'] = [];
        fs.writeFileSync(cfgFile, JSON.stringify(cfg));
      });
      assertOneLineError(infill('complete', `${EXAMPLE}:1:1`, '--model', dir), /no fill-in-the-middle tokens/);
    });

    it('a CUDA provider that is not installed, asked for by name', () => {
      const r = infill('complete', `${EXAMPLE}:1:1`, '--provider', 'cuda');
      if (r.code === 0) return; // a machine with the CUDA libraries installed: nothing to refuse
      assertOneLineError(r, /CUDA provider/);
    });

    it('--verbose adds the stack trace', () => {
      const r = infill(
        'complete',
        `${EXAMPLE}:1:1`,
        '--model',
        copyModel((d) => fs.writeFileSync(path.join(d, 'config.json'), '{')),
        '--verbose',
      );
      assert.equal(r.code, 2);
      assert.match(r.stderr, /\n\s+at /);
    });
  });
});
