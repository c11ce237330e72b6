import { strict as assert } from 'node:assert';
import { decideMultiline } from '../../src/core/completion/multiline';

describe('single or multi-line', () => {
  it('multi-line on an empty line after a block opener', () => {
    assert.equal(decideMultiline('    ', '', 'def f(x):\n'), true);
    assert.equal(decideMultiline('  ', '', 'function f() {\n'), true);
    assert.equal(decideMultiline('', '', 'if x:  # why\n\n'), true);
    assert.equal(decideMultiline('\t', '', 'const f = () =>\n'), true);
  });
  it('single line with text right of the cursor, inside an expression, or after a plain statement', () => {
    assert.equal(decideMultiline('    x = ', ')', 'def f(x):\n'), false);
    assert.equal(decideMultiline('    return a', '', 'def f(x):\n'), false);
    assert.equal(decideMultiline('    ', '', 'x = 1\n'), false);
  });
});
