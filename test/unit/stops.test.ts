import assert from 'node:assert/strict';
import { cutAtStops } from '../../src/core/backend/stops';

describe('cutAtStops (both backends cut model text with it)', () => {
  const cases: { text: string; stops: string[]; want: { text: string; cut: boolean } }[] = [
    { text: 'return x\n<EOT>junk', stops: ['<EOT>'], want: { text: 'return x\n', cut: true } },
    // The earliest stop wins, whatever its place in the list.
    { text: 'a</s>b<EOT>c', stops: ['<EOT>', '</s>'], want: { text: 'a', cut: true } },
    { text: 'no stop here', stops: ['<EOT>'], want: { text: 'no stop here', cut: false } },
    // An empty stop string would cut everything: it is ignored.
    { text: 'keep', stops: ['', 'x'], want: { text: 'keep', cut: false } },
    { text: '<EOT>', stops: ['<EOT>'], want: { text: '', cut: true } },
    { text: '', stops: ['<EOT>'], want: { text: '', cut: false } },
    { text: 'abc', stops: [], want: { text: 'abc', cut: false } },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.text)} at ${JSON.stringify(c.stops)}`, () => {
      assert.deepEqual(cutAtStops(c.text, c.stops), c.want);
    });
  }
});
