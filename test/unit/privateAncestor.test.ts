import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { privateAncestor } from '../../src/core/sandbox/isolation';

// A runtime (python, node) below a folder others may not pass through (/root at 0700 while HOME points elsewhere) is
// masked and bound back in the sandbox, or a program dropped to nobody could not start it.
describe('privateAncestor (the sandbox masks private folders above a runtime)', () => {
  it('finds the outermost folder without search permission for others, and none where every folder has it', () => {
    const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'infill-private-')));
    fs.chmodSync(base, 0o755);
    const open = path.join(base, 'open', 'bin');
    const inner = path.join(base, 'private', 'lib', 'python3');
    fs.mkdirSync(open, { recursive: true });
    fs.mkdirSync(inner, { recursive: true });
    fs.chmodSync(path.join(base, 'private'), 0o700);
    fs.chmodSync(path.join(base, 'private', 'lib'), 0o700);
    try {
      assert.equal(privateAncestor(inner), path.join(base, 'private'));
      assert.equal(privateAncestor(open), undefined);
    } finally {
      fs.chmodSync(path.join(base, 'private'), 0o755);
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
