/**
 * Turns generated token ids into text deltas that are always valid text, and finds stop strings that may span
 * token boundaries. `decode` maps all ids so far to text; a trailing U+FFFD (an incomplete byte-fallback sequence)
 * and any tail that could be the start of a stop string are held back until the next token decides them.
 */
export class TextStream {
  private readonly ids: number[] = [];
  private emitted = '';
  private text = '';

  constructor(
    private readonly decode: (ids: readonly number[]) => string,
    private readonly stopStrings: readonly string[],
  ) {}

  /** Adds a token; returns the new text to show, and whether a stop string was reached. */
  push(id: number): { delta: string; stopped: boolean } {
    this.ids.push(id);
    this.text = this.decode(this.ids);
    const stop = this.findStop(this.text);
    if (stop >= 0) {
      this.text = this.text.slice(0, stop);
      return { delta: this.advanceTo(this.text), stopped: true };
    }
    if (this.text.endsWith('\uFFFD')) return { delta: '', stopped: false };
    return { delta: this.advanceTo(this.text.slice(0, this.text.length - this.heldBack(this.text))), stopped: false };
  }

  /** All text when generation ends for another reason: nothing is held back any more. */
  finish(): string {
    return this.advanceTo(this.text);
  }

  get fullText(): string {
    return this.text;
  }

  private advanceTo(safe: string): string {
    if (!safe.startsWith(this.emitted)) return '';
    const delta = safe.slice(this.emitted.length);
    this.emitted = safe;
    return delta;
  }

  private findStop(text: string): number {
    let best = -1;
    const longest = Math.max(0, ...this.stopStrings.map((s) => s.length));
    const from = Math.max(0, this.emitted.length - longest);
    for (const s of this.stopStrings) {
      if (!s) continue;
      const i = text.indexOf(s, from);
      if (i >= 0 && (best < 0 || i < best)) best = i;
    }
    return best;
  }

  /** Length of the longest tail of `text` that is a proper prefix of a stop string. */
  private heldBack(text: string): number {
    let held = 0;
    for (const s of this.stopStrings) {
      for (let n = Math.min(s.length - 1, text.length); n > held; n--) {
        if (text.endsWith(s.slice(0, n))) {
          held = n;
          break;
        }
      }
    }
    return held;
  }
}
