import { strict as assert } from 'node:assert';
import { chunksAsComments, lineCommentFor, RecentChunks } from '../../src/core/completion/contextChunks';

const file = (name: string, n = 80) => Array.from({ length: n }, (_, i) => `${name}_line_${i} = ${i}`).join('\n');

describe('context from other files', () => {
  it('keeps the lines around each edit, newest first, and not from the current file', () => {
    const r = new RecentChunks(4, 10);
    r.add('a.py', file('a'), 40);
    r.add('b.py', file('b'), 5);
    const picked = r.pick('c.py', 10000);
    assert.deepEqual(
      picked.map((c) => c.path),
      ['b.py', 'a.py'],
    );
    assert.equal(picked[1]!.text.split('\n').length, 10);
    assert.ok(picked[1]!.text.includes('a_line_40 = 40'));
    assert.deepEqual(
      r.pick('b.py', 10000).map((c) => c.path),
      ['a.py'],
    );
  });

  it('drops a near-duplicate of a kept chunk (the same region edited again)', () => {
    const r = new RecentChunks(4, 10);
    r.add('a.py', file('a'), 40);
    r.add('a.py', file('a'), 41);
    assert.equal(r.pick('x.py', 10000).length, 1);
    r.add('a.py', file('a'), 70);
    assert.equal(r.pick('x.py', 10000).length, 2, 'another region of the same file is kept');
  });

  it('respects the capacity and the character budget', () => {
    const r = new RecentChunks(2, 10);
    for (const name of ['a', 'b', 'c']) r.add(`${name}.py`, file(name), 10);
    assert.deepEqual(
      r.pick('x.py', 10000).map((c) => c.path),
      ['c.py', 'b.py'],
    );
    const one = r.pick('x.py', 10000)[0]!.text.length;
    assert.equal(r.pick('x.py', one + 5).length, 1);
  });

  it('formats chunks as comments of the current language', () => {
    assert.equal(lineCommentFor('x.py'), '#');
    assert.equal(lineCommentFor('x.ts'), '//');
    assert.equal(
      chunksAsComments('main.py', [{ path: 'util.py', text: 'def f():\n    return 1' }]),
      '# Path: util.py\n# def f():\n#     return 1\n',
    );
    assert.equal(chunksAsComments('main.go', [{ path: 'u.go', text: 'x := 1\n' }]), '// Path: u.go\n// x := 1\n//\n');
  });
});
