/** A suggestion that was shown: the document, the text around the cursor when it was made, and the text. */
interface Entry {
  document: string;
  prefix: string;
  suffix: string;
  completion: string;
}

/**
 * An LRU of recent suggestions. `lookup` answers an exact repeat (same document, prefix and suffix), and typed-ahead
 * text: when the user has typed the start of a shown suggestion, the rest of it is the answer, without a new request.
 */
export class CompletionCache {
  private readonly entries: Entry[] = [];

  constructor(private readonly capacity = 64) {}

  lookup(document: string, prefix: string, suffix: string): string | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      if (e.document !== document || e.suffix !== suffix || !prefix.startsWith(e.prefix)) continue;
      const typed = prefix.slice(e.prefix.length);
      if (!e.completion.startsWith(typed)) continue;
      const rest = e.completion.slice(typed.length);
      if (typed.length > 0 && rest.trim() === '') continue;
      this.entries.splice(i, 1);
      this.entries.push(e);
      return rest;
    }
    return undefined;
  }

  store(document: string, prefix: string, suffix: string, completion: string): void {
    const i = this.entries.findIndex((e) => e.document === document && e.prefix === prefix && e.suffix === suffix);
    if (i >= 0) this.entries.splice(i, 1);
    this.entries.push({ document, prefix, suffix, completion });
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  clear(document?: string): void {
    if (document === undefined) this.entries.length = 0;
    else
      for (let i = this.entries.length - 1; i >= 0; i--)
        if (this.entries[i]!.document === document) this.entries.splice(i, 1);
  }

  get size(): number {
    return this.entries.length;
  }
}
