// A user's clone has no ../shared (the team's folder beside the repository): nothing that ships or that a test reads
// may name it. The benchmark data the project needs lives in data/.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const SCANNED = [
  'src',
  'test',
  'bench',
  'packaging',
  'media',
  'models',
  '.ci',
  'README.md',
  'package.json',
  'esbuild.mjs',
  '.vscodeignore',
];
const SKIP = new Set(['node_modules', 'work', 'screenshots']);
const TEXT = /\.(ts|mts|cts|js|mjs|cjs|json|md|sh|py|css|html|txt)$|^run$|^\.vscodeignore$/;

function* files(p: string): Generator<string> {
  const stat = fs.statSync(p);
  if (stat.isFile()) {
    if (TEXT.test(path.basename(p))) yield p;
    return;
  }
  for (const e of fs.readdirSync(p)) if (!SKIP.has(e)) yield* files(path.join(p, e));
}

describe('no product or test text names the team folder ../shared', () => {
  it('sources, tests, benches, packaging, the model card, CI and README', () => {
    const hits: string[] = [];
    const pattern =
      /\.\.[\\/]shared\b|['"`]shared['"`]\s*,\s*['"`]data['"`]|\bshared\/(data|vscode-host|reference|hooks)\b/;
    for (const top of SCANNED) {
      const at = path.join(REPO, top);
      if (!fs.existsSync(at)) continue;
      for (const f of files(at)) {
        if (f === __filename) continue;
        fs.readFileSync(f, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (pattern.test(line)) hits.push(`${path.relative(REPO, f)}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    assert.deepEqual(hits, []);
  });

  it('the data the CLI defaults to is in the repository, with its license', () => {
    for (const f of [
      'data/human-eval/HumanEval.jsonl.gz',
      'data/human-eval/LICENSE',
      'data/human-eval-infilling/HumanEval-SingleLineInfilling.jsonl.gz',
      'data/human-eval-infilling/HumanEval-RandomSpanInfillingLight.jsonl.gz',
      'data/human-eval-infilling/LICENSE',
    ]) {
      assert.ok(fs.existsSync(path.join(REPO, f)), f);
    }
  });
});
