/** Keeps the last `cap` bytes of a stream and counts the rest, so a chatty program cannot fill memory. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private kept = 0;
  total = 0;

  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    this.chunks.push(chunk);
    this.kept += chunk.length;
    while (this.kept > this.cap && this.chunks.length > 0) {
      const first = this.chunks[0]!;
      const excess = this.kept - this.cap;
      if (first.length <= excess) {
        this.chunks.shift();
        this.kept -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.kept -= excess;
      }
    }
  }

  /** Bytes seen but not kept. */
  get dropped(): number {
    return this.total - this.kept;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** The number the last match of `re` (a global pattern) captured in a runner's output, or undefined. */
export function lastNumber(text: string, re: RegExp): number | undefined {
  const last = [...text.matchAll(re)].pop();
  return last ? Number(last[1]) : undefined;
}
