import { strict as assert } from 'node:assert';
import { AdaptiveDebounce, textRightOfCursorBlocks } from '../../src/core/completion/debounce';

describe('adaptive debounce', () => {
  it('waits the base delay when nothing is known', () => {
    assert.equal(new AdaptiveDebounce(() => 150).delayMs(1000), 150);
  });

  it('waits a little longer than the keystroke gap when it is just above the base delay', () => {
    const typing = (gap: number) => {
      const d = new AdaptiveDebounce(() => 150);
      for (let t = 0; t < 8; t++) d.keystroke(1000 + t * gap);
      return d.delayMs(1000 + 7 * gap);
    };
    assert.equal(typing(60), 150, 'fast typing: the base delay already waits for a pause');
    assert.equal(typing(180), 234, 'gaps just above the base: wait 1.3 gaps');
    assert.equal(typing(400), 150, 'slow typing: the base delay');
  });

  it('adds part of the recent latency, within the cap', () => {
    const d = new AdaptiveDebounce(() => 150, 400);
    d.latency(400);
    assert.equal(d.delayMs(), 250);
    for (let i = 0; i < 5; i++) d.latency(5000);
    assert.equal(d.delayMs(), 350);
    for (let t = 0; t < 8; t++) d.keystroke(1000 + t * 290);
    assert.equal(d.delayMs(1000 + 7 * 290), 400, 'capped');
  });
});

describe('text right of the cursor', () => {
  it('closers and whitespace do not block an automatic request; words do', () => {
    for (const s of ['', '   ', ')', '"]);', '} ']) assert.equal(textRightOfCursorBlocks(s), false, JSON.stringify(s));
    for (const s of ['foo)', ' + b', 'x']) assert.equal(textRightOfCursorBlocks(s), true, JSON.stringify(s));
  });
});
