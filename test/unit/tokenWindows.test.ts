import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fitPrefix, fitSuffix, lineTokenCounter } from '../../src/core/completion/tokenWindows';

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

describe('lineTokenCounter', () => {
  it("adds the lines' counts and one per newline, encoding each distinct line once", () => {
    const seen: string[] = [];
    const count = lineTokenCounter((line) => {
      seen.push(line);
      return line.split(' ').length;
    });
    assert.equal(count('a b\nc'), 2 + 1 + 1);
    assert.equal(count('a b\nc\n\nd e f'), 2 + 1 + 1 + 1 + 0 + 1 + 3);
    assert.deepEqual(seen, ['a b', 'c', 'd e f']);
  });

  it('matches the real tokenizer on a Python file within a token per hundred', async () => {
    const { sharedEngine } = await import('../helpers/model');
    const engine = await sharedEngine();
    const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'long_module.py'), 'utf8');
    const count = lineTokenCounter((line) => engine.tokenizer.encodeContinuation(line).length);
    const exact = engine.tokenizer.encodeContinuation(text).length;
    assert.ok(Math.abs(count(text) - exact) <= exact / 100, `${count(text)} vs ${exact}`);
  });
});

describe('Tokenizer.encodeLines (prompts built from remembered line encodings)', () => {
  it('gives exactly encode() and encodeContinuation() on real files, for the shipped SentencePiece vocabulary', async () => {
    const { sharedEngine } = await import('../helpers/model');
    const t = (await sharedEngine()).tokenizer;
    assert.equal(t.linesExact, true);
    for (const f of ['test/fixtures/long_module.py', 'examples/stats.py', 'README.md', 'src/core/engine/engine.ts']) {
      const text = fs.readFileSync(path.join(__dirname, '..', '..', f), 'utf8');
      assert.deepEqual(t.encodeLines(text, true), t.encode(text), f);
      assert.deepEqual(t.encodeLines(text.slice(100), false), t.encodeContinuation(text.slice(100)), f);
      assert.deepEqual(t.encodeLines(`\n${text}`, true), t.encode(`\n${text}`), `${f} after a newline`);
    }
  });
});
