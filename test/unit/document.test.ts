import { strict as assert } from 'node:assert';
import { offsetAt, parseFileLineColumn, splitAround } from '../../src/core/document';
import { InfillError } from '../../src/core/errors';

describe('document positions', () => {
  it('parses FILE:LINE:COL from the right', () => {
    assert.deepEqual(parseFileLineColumn('C:\\src\\a.py:3:7'), { file: 'C:\\src\\a.py', line: 3, column: 7 });
    assert.throws(
      () => parseFileLineColumn('a.py:3'),
      (e: unknown) => e instanceof InfillError && e.code === 'bad-arguments',
    );
  });

  it('maps 1-based positions to offsets, CRLF lines included', () => {
    const text = 'ab\r\ncd\nef';
    assert.equal(offsetAt(text, { line: 1, column: 1 }), 0);
    assert.equal(offsetAt(text, { line: 2, column: 2 }), 5);
    assert.equal(offsetAt(text, { line: 3, column: 3 }), 9);
    assert.throws(
      () => offsetAt(text, { line: 4, column: 1 }),
      (e: unknown) => e instanceof InfillError && e.code === 'position-out-of-range',
    );
    assert.throws(
      () => offsetAt(text, { line: 1, column: 4 }),
      (e: unknown) => e instanceof InfillError && e.code === 'position-out-of-range',
    );
  });

  it('cuts prefix and suffix windows at line boundaries; the prefix cut stays put while typing', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const at = text.indexOf('line 90');
    const { prefix, suffix } = splitAround(text, at, 250, 30);
    assert.ok(prefix.startsWith('line 64\n') && prefix.length <= 250, prefix.slice(0, 10));
    assert.ok(suffix.startsWith('line 90') && suffix.endsWith('\n') && suffix.length <= 30);
    const typed = text.slice(0, at) + 'x = 1' + text.slice(at);
    assert.ok(splitAround(typed, at + 5, 250, 30).prefix.startsWith('line 64\n'));
  });
});
