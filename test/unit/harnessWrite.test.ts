import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../src/cli/harnessEngine';
import { InfillError } from '../../src/core/errors';
import { tmpDir } from '../helpers/model';

describe('infill tests: writing the test file', () => {
  it('a new file appears whole; an existing one is refused unless overwriting; no temporary file stays', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'test_calc.py');
    writeFileAtomic(file, 'a\n', false);
    assert.equal(fs.readFileSync(file, 'utf8'), 'a\n');
    assert.throws(
      () => writeFileAtomic(file, 'b\n', false),
      (e: unknown) => e instanceof InfillError && /appeared while the tests were written/.test(e.message),
    );
    assert.equal(fs.readFileSync(file, 'utf8'), 'a\n', 'left as it was');
    writeFileAtomic(file, 'c\n', true);
    assert.equal(fs.readFileSync(file, 'utf8'), 'c\n');
    assert.deepEqual(fs.readdirSync(dir), ['test_calc.py']);
  });
});
