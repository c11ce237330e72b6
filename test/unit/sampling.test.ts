import { strict as assert } from 'node:assert';
import { argmax, sampleToken, seededRandom } from '../../src/core/engine';

const logits = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i * 1.7) * 3);

describe('sampling', () => {
  it('temperature 0 is greedy', () => {
    assert.equal(sampleToken(logits, { temperature: 0, topK: 0, topP: 1, seed: 1 }, seededRandom(1)), argmax(logits));
  });

  it('the same seed gives the same tokens; another seed gives others', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 30 }, () => sampleToken(logits, { temperature: 1, topK: 0, topP: 1, seed }, random));
    };
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
  });

  it('top-k 1 and a tiny top-p both reduce to greedy', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 20; i++) {
      assert.equal(sampleToken(logits, { temperature: 1.5, topK: 1, topP: 1, seed: 3 }, random), argmax(logits));
      assert.equal(sampleToken(logits, { temperature: 1.5, topK: 0, topP: 1e-6, seed: 3 }, random), argmax(logits));
    }
  });

  it('top-k keeps only the k best tokens', () => {
    const best = Array.from(logits.keys())
      .sort((a, b) => logits[b]! - logits[a]!)
      .slice(0, 5);
    const random = seededRandom(11);
    for (let i = 0; i < 200; i++) {
      assert.ok(best.includes(sampleToken(logits, { temperature: 5, topK: 5, topP: 1, seed: 11 }, random)));
    }
  });
});
