import { strict as assert } from 'node:assert';
import { healedStream, healTrailingIndent, stripHealedIndent } from '../../src/core/completion/indentHealing';

describe('indentation healing', () => {
  it('moves the indentation of an empty last line out of the prefix', () => {
    assert.deepEqual(healTrailingIndent('for x in y:\n        '), { prefix: 'for x in y:\n', indent: '        ' });
    assert.deepEqual(healTrailingIndent('\t\t'), { prefix: '', indent: '\t\t' });
    assert.deepEqual(
      healTrailingIndent('x = foo(a, '),
      { prefix: 'x = foo(a, ', indent: '' },
      'text before the spaces: not an empty line',
    );
    assert.deepEqual(healTrailingIndent('x = 1\n'), { prefix: 'x = 1\n', indent: '' });
  });

  it('takes the typed indentation off the completion', () => {
    assert.equal(stripHealedIndent('        total += v\n', '        '), 'total += v\n');
    assert.equal(stripHealedIndent('            deeper()\n', '        '), '    deeper()\n');
    assert.equal(stripHealedIndent('    shallower()\n', '        '), 'shallower()\n');
    assert.equal(stripHealedIndent('x', ''), 'x');
  });

  it('streams the same text as the final result', () => {
    for (const [deltas, indent] of [
      [['  ', '  ', '  ', '  to', 'tal'], '        '],
      [[' ', 'x'], '    '],
      [['\t', '\tpass'], '\t\t'],
      [['  '], '    '],
    ] as const) {
      const out: string[] = [];
      const s = healedStream(indent, (d) => out.push(d));
      for (const d of deltas) s.push(d);
      s.flush();
      assert.equal(out.join(''), stripHealedIndent(deltas.join(''), indent));
    }
  });
});
