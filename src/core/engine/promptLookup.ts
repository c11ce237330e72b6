/**
 * Prompt lookup decoding (n-gram drafting, as Hugging Face's `prompt_lookup_num_tokens` and llama.cpp's lookup
 * decoding do). Code repeats itself: names, calls, whole lines of the context come back in the completion. When the
 * last few tokens occurred earlier in the sequence, the tokens that followed them then are a cheap guess of what comes
 * next. The engine feeds the guess with the next token in one forward pass and keeps the longest run that greedy
 * decoding confirms, so the output is exactly greedy's while several tokens cost about one step.
 */

export interface LookupOptions {
  /** Most tokens drafted per step. 0 turns prompt lookup off. */
  maxDraft: number;
  /** Longest n-gram matched (tried first). */
  maxNgram: number;
  /** Shortest n-gram matched; 1 matches any repeated token, which guesses wrong more often. */
  minNgram: number;
}

export const DEFAULT_LOOKUP: LookupOptions = { maxDraft: 8, maxNgram: 3, minNgram: 2 };

/**
 * The tokens that followed the most recent earlier occurrence of the sequence's last n tokens (longest n first), at
 * most `limit` of them; empty when nothing matches.
 */
export function draftFromContext(
  ids: readonly number[],
  limit: number,
  options: LookupOptions = DEFAULT_LOOKUP,
): number[] {
  const n = ids.length;
  if (limit <= 0) return [];
  for (let size = Math.min(options.maxNgram, n - 1); size >= options.minNgram; size--) {
    // Candidate starts, most recent first; the match must end before the sequence's own last n-gram begins.
    for (let start = n - size - 1; start >= 0; start--) {
      let k = 0;
      while (k < size && ids[start + k] === ids[n - size + k]) k++;
      if (k < size) continue;
      const from = start + size;
      const draft = ids.slice(from, Math.min(from + limit, n));
      if (draft.length > 0) return draft;
    }
  }
  return [];
}

/**
 * How many tokens to draft next, per request: two more after a draft that was accepted whole, one fewer after a miss
 * (the schedule of Hugging Face's assisted generation). A wrong guess costs a wider forward pass, so a context that
 * does not repeat soon drafts little.
 */
export class DraftBudget {
  private size: number;

  constructor(private readonly max: number) {
    this.size = Math.min(4, max);
  }

  get next(): number {
    return this.size;
  }

  update(drafted: number, accepted: number): void {
    if (drafted === 0) return;
    this.size = accepted === drafted ? Math.min(this.max, this.size + 2) : Math.max(1, this.size - 1);
  }
}
