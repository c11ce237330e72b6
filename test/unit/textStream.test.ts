import { strict as assert } from 'node:assert';
import { TextStream, Tokenizer } from '../../src/core/engine';
import { SHIPPED_MODEL } from '../helpers/model';

describe('TextStream', () => {
  let tokenizer: Tokenizer;
  before(async () => {
    tokenizer = await Tokenizer.load(SHIPPED_MODEL);
  });

  const run = (text: string, stops: string[] = []) => {
    const ids = tokenizer.encodeContinuation(text);
    const stream = new TextStream((t) => tokenizer.decodeContinuation(t), stops);
    const deltas: string[] = [];
    let stoppedAt = -1;
    for (const [i, id] of ids.entries()) {
      const { delta, stopped } = stream.push(id);
      deltas.push(delta);
      if (stopped) {
        stoppedAt = i;
        break;
      }
    }
    if (stoppedAt < 0) deltas.push(stream.finish());
    return { ids, deltas, stoppedAt, text: stream.fullText };
  };

  it('streams deltas that add up to the decoded text, keeping a leading space', () => {
    const { deltas, text } = run(' return x + y\n');
    assert.equal(deltas.join(''), ' return x + y\n');
    assert.equal(text, ' return x + y\n');
  });

  it('assembles byte-fallback pieces: never emits half a character', () => {
    const { ids, deltas } = run('x = "🦙"\n');
    assert.ok(
      ids.some((id) => id >= 3 && id <= 258),
      'the llama emoji is byte-fallback pieces',
    );
    assert.ok(
      deltas.every((d) => !d.includes('\uFFFD')),
      `deltas: ${JSON.stringify(deltas)}`,
    );
    assert.equal(deltas.join(''), 'x = "🦙"\n');
  });

  it('finds a stop string that spans token boundaries and emits nothing of it', () => {
    const { ids, deltas, stoppedAt, text } = run('a = 1\n\ndef g():\n    pass\n', ['\ndef']);
    assert.ok(stoppedAt >= 0 && stoppedAt < ids.length - 1);
    assert.equal(text, 'a = 1\n');
    assert.equal(deltas.join(''), 'a = 1\n');
    assert.ok(deltas.every((d) => !d.includes('def')));
  });

  it('releases held-back text that turned out not to be a stop string', () => {
    const { deltas, stoppedAt } = run('x = 1\nde = 2\n', ['\ndef']);
    assert.equal(stoppedAt, -1);
    assert.equal(deltas.join(''), 'x = 1\nde = 2\n');
  });
});
