import { strict as assert } from 'node:assert';
import { CompletionCache } from '../../src/core/completion/cache';

describe('completion cache', () => {
  it('answers an exact repeat', () => {
    const c = new CompletionCache();
    c.store('a.py', 'x = ', '\n', 'compute()');
    assert.equal(c.lookup('a.py', 'x = ', '\n'), 'compute()');
    assert.equal(c.lookup('b.py', 'x = ', '\n'), undefined, 'another document');
    assert.equal(c.lookup('a.py', 'x = ', '\ny'), undefined, 'another suffix');
  });

  it('serves the rest of a suggestion as the user types its start', () => {
    const c = new CompletionCache();
    c.store('a.py', 'total ', '\n', '+= value');
    assert.equal(c.lookup('a.py', 'total +', '\n'), '= value');
    assert.equal(c.lookup('a.py', 'total += v', '\n'), 'alue');
    assert.equal(c.lookup('a.py', 'total -', '\n'), undefined, 'typed something else');
    assert.equal(c.lookup('a.py', 'total += value', '\n'), undefined, 'nothing left');
  });

  it('forgets the least recently used entries beyond its capacity', () => {
    const c = new CompletionCache(2);
    c.store('d', 'a', '', '1');
    c.store('d', 'b', '', '2');
    assert.equal(c.lookup('d', 'a', ''), '1');
    c.store('d', 'c', '', '3');
    assert.equal(c.lookup('d', 'b', ''), undefined);
    assert.equal(c.lookup('d', 'a', ''), '1');
    assert.equal(c.size, 2);
  });
});
