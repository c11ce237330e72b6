import { strict as assert } from 'node:assert';
import { InfillError } from '../../src/core/errors';

/** Awaits `p` and checks that it fails with an InfillError of `code` whose message matches and which says how to fix it. */
export async function rejectsWith(p: Promise<unknown>, code: string, message: RegExp): Promise<InfillError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof InfillError, `expected an InfillError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    assert.ok(err.fix.length > 10, 'the error says how to fix it');
    return err;
  }
  assert.fail('expected a rejection');
}
