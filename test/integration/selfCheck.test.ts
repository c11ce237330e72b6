// The FIM self-check at load (src/core/engine/selfCheck.ts), on real weights through the real runtime.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine';
import { controlTokensIn, fimSelfCheck, FIM_MODEL_SUGGESTION, selfCheckLine } from '../../src/core/engine/selfCheck';
import { copyModel, sharedEngine } from '../helpers/model';

/** The shipped model with its FIM tokens renamed in the tokenizer files: same weights, no FIM family to detect. */
function withoutFimTokens(): string {
  return copyModel((dir) => {
    for (const name of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) {
      const file = path.join(dir, name);
      if (!fs.existsSync(file)) continue;
      const text = fs.readFileSync(file, 'utf8').replace(/▁<(PRE|SUF|MID|EOT)>/g, (_, t: string) => `▁<X${t}>`);
      fs.writeFileSync(file, text);
    }
  });
}

describe('FIM self-check at load', function () {
  this.timeout(120_000);

  it('passes on the shipped model: the one-line middle ends with ▁<EOT> and no control token leaks', async () => {
    const check = await fimSelfCheck(await sharedEngine());
    assert.deepEqual(check.problems, []);
    assert.equal(check.ok, true);
    assert.equal(check.family, 'codellama');
    assert.equal(check.probe?.stopReason, 'stop-token');
    assert.ok(check.probe.tokens <= 16);
    assert.match(
      selfCheckLine(check),
      /^FIM self-check passed: codellama \(probe: ".*", stop-token, \d+ tokens, \d+ ms\)$/,
    );
  });

  it('warns on a model folder whose tokenizer lacks FIM tokens, and points to a base model', async () => {
    const engine = await Engine.load({ modelDir: withoutFimTokens(), provider: 'cpu', threads: 1 });
    try {
      const check = await fimSelfCheck(engine);
      assert.equal(check.ok, false);
      assert.match(check.problems.join(), /no fill-in-the-middle tokens/);
      assert.ok(check.advice?.includes(FIM_MODEL_SUGGESTION), check.advice);
      assert.equal(check.probe, undefined, 'no probe runs without FIM tokens');
    } finally {
      await engine.dispose();
    }
  });

  it('finds control tokens that leaked into text', () => {
    assert.deepEqual(controlTokensIn('return a <EOT>', []), ['<EOT>']);
    assert.deepEqual(controlTokensIn('x = 1<|fim_middle|>', []), ['<|fim_middle|>']);
    assert.deepEqual(controlTokensIn('plain < text >', ['<s>', '</s>']), []);
    assert.deepEqual(controlTokensIn('a</s>', ['<s>', '</s>']), ['</s>']);
  });
});
