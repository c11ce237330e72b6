import { strict as assert } from 'node:assert';
import { DraftBudget, draftFromContext } from '../../src/core/engine/promptLookup';

const options = { maxDraft: 8, maxNgram: 3, minNgram: 2 };

describe('prompt lookup drafts (n-gram match in the context)', () => {
  it('drafts what followed the most recent earlier occurrence of the last tokens', () => {
    //            0  1  2  3  4  5  6  7  8  9 10 11
    const ids = [5, 6, 7, 8, 9, 1, 6, 7, 3, 4, 6, 7];
    // "6 7" occurred at 1 (then 8 9 1 ...) and at 6 (then 3 4 6 7): the most recent wins.
    assert.deepEqual(draftFromContext(ids, 8, options), [3, 4, 6, 7]);
  });

  it('prefers the longest n-gram that matches', () => {
    const ids = [1, 6, 7, 20, 21, 9, 6, 7, 30, 31, 1, 6, 7];
    // "1 6 7" occurs at 0 (then 20 21); "6 7" alone would match the later occurrence (then 30 31).
    assert.deepEqual(draftFromContext(ids, 2, options), [20, 21]);
  });

  it('stops at the limit and at the end of the sequence', () => {
    const ids = [1, 2, 3, 4, 5, 6, 1, 2];
    assert.deepEqual(draftFromContext(ids, 3, options), [3, 4, 5]);
    assert.deepEqual(draftFromContext(ids, 0, options), []);
    assert.deepEqual(draftFromContext([1, 2, 9, 1, 2], 8, options), [9, 1, 2]);
  });

  it('drafts nothing without a match of the shortest n-gram', () => {
    assert.deepEqual(draftFromContext([1, 2, 3, 4, 5, 3], 8, options), []);
    assert.deepEqual(draftFromContext([1, 2, 3, 4, 5, 3], 8, { ...options, minNgram: 1 }), [4, 5, 3]);
    assert.deepEqual(draftFromContext([7], 8, options), []);
    assert.deepEqual(draftFromContext([], 8, options), []);
  });

  it('drafts more after a whole draft was accepted and fewer after a miss, within 1..max', () => {
    const budget = new DraftBudget(8);
    assert.equal(budget.next, 4);
    budget.update(4, 4);
    assert.equal(budget.next, 6);
    budget.update(6, 6);
    budget.update(8, 8);
    assert.equal(budget.next, 8);
    budget.update(8, 3);
    assert.equal(budget.next, 7);
    for (let i = 0; i < 10; i++) budget.update(1, 0);
    assert.equal(budget.next, 1);
    budget.update(0, 0);
    assert.equal(budget.next, 1, 'no draft, no change');
    assert.equal(new DraftBudget(0).next, 0);
  });
});
