import { strict as assert } from 'node:assert';
import { fitPrefix, fitSuffix } from '../../src/core/completion/tokenWindows';

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
const doc = Array.from({ length: 200 }, (_, i) => `line ${i} a b`).join('\n');

describe('token windows', () => {
  it('keeps text that fits', () => {
    assert.equal(fitPrefix('a b c', 10, words), 'a b c');
    assert.equal(fitSuffix('a b c', 10, words), 'a b c');
  });

  it('cuts the prefix from its start at line steps of 32, within the budget', () => {
    const cut = fitPrefix(doc, 400, words);
    assert.ok(words(cut) <= 400);
    assert.ok(cut.startsWith('line 128 '), cut.slice(0, 20));
    // Typing at the end does not move the cut: the prompt keeps its start for KV-cache reuse.
    assert.ok(fitPrefix(doc + ' x', 400, words).startsWith('line 128 '));
  });

  it('keeps the most whole suffix lines that fit', () => {
    const cut = fitSuffix(doc, 40, words);
    assert.equal(cut, Array.from({ length: 10 }, (_, i) => `line ${i} a b`).join('\n') + '\n');
  });

  it('an over-long single line keeps its end', () => {
    const long = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    const cut = fitPrefix(long, 10, words);
    assert.ok(words(cut) <= 10 && long.endsWith(cut));
  });
});
