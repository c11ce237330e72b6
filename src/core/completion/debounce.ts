/**
 * Adaptive debounce. A user whose keystrokes come a little slower than the base delay would start a request at every
 * keystroke and cancel it at the next one: wait a bit longer than their keystroke gap instead. Slow recent completions
 * also lengthen the wait. Keystroke times and latencies are recorded by the caller.
 */
export class AdaptiveDebounce {
  private readonly keystrokes: number[] = [];
  private readonly latencies: number[] = [];

  constructor(
    private readonly baseMs: () => number,
    private readonly maxMs = 600,
  ) {}

  keystroke(at: number = Date.now()): void {
    this.keystrokes.push(at);
    if (this.keystrokes.length > 8) this.keystrokes.shift();
  }

  latency(ms: number): void {
    this.latencies.push(ms);
    if (this.latencies.length > 8) this.latencies.shift();
  }

  /** The delay to wait now before asking the model. */
  delayMs(now: number = Date.now()): number {
    const base = this.baseMs();
    const recent = this.keystrokes.filter((t) => now - t < 2000);
    let delay = base;
    if (recent.length >= 3) {
      const gaps = recent.slice(1).map((t, i) => t - recent[i]!);
      const meanGap = gaps.reduce((a, b) => a + b, 0) / gaps.length;
      if (meanGap < 2 * base) delay = Math.max(base, Math.min(this.maxMs, meanGap * 1.3));
    }
    if (this.latencies.length) {
      const sorted = [...this.latencies].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      // Slow completions: a request costs more, so wait a little longer for the user to pause.
      delay = Math.min(this.maxMs, delay + Math.min(median / 4, 200));
    }
    return Math.round(delay);
  }
}

/** Whether an automatic request should be skipped: non-trivial text right of the cursor, mid-line. */
export function textRightOfCursorBlocks(lineSuffix: string): boolean {
  // Closing brackets, quotes and separators are trivial: completing inside foo(|) is normal.
  return /[^\s)\]}'"`;:,.>]/.test(lineSuffix);
}
