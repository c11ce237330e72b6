/**
 * Cuts the prefix and suffix to token budgets at line boundaries. The prefix is cut from its start in steps of
 * `PREFIX_STEP` lines, so that the cut moves rarely while the user types and the next prompt still shares its start
 * with the previous one (the engine's KV-cache reuse needs a shared prefix).
 */
const PREFIX_STEP = 32;

export function fitPrefix(prefix: string, maxTokens: number, count: (s: string) => number): string {
  if (count(prefix) <= maxTokens) return prefix;
  const lines = prefix.split('\n');
  let cut = PREFIX_STEP;
  while (cut < lines.length) {
    const candidate = lines.slice(cut).join('\n');
    if (count(candidate) <= maxTokens) return candidate;
    cut += PREFIX_STEP;
  }
  // The last line alone is over budget: keep its end.
  const last = lines[lines.length - 1]!;
  let keep = last.length;
  while (keep > 0 && count(last.slice(last.length - keep)) > maxTokens) keep = Math.floor(keep / 2);
  return last.slice(last.length - keep);
}

export function fitSuffix(suffix: string, maxTokens: number, count: (s: string) => number): string {
  if (count(suffix) <= maxTokens) return suffix;
  const lines = suffix.split('\n');
  let lo = 0,
    hi = lines.length;
  // The most whole lines that fit.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (count(lines.slice(0, mid).join('\n')) <= maxTokens) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : lines.slice(0, lo).join('\n') + '\n';
}

/**
 * Counts tokens line by line, remembering each line's count: while the user types only one line changes, so fitting
 * a 1,000-line prefix costs one short encode instead of several of the whole text. The count of joined lines is the
 * sum of the lines' counts plus one token per newline: exact for SentencePiece vocabularies (Llama, Code Llama),
 * whose merges never cross a newline, and close for byte-level BPE ones; the budgets are soft limits either way.
 */
export function lineTokenCounter(encodeLine: (line: string) => number, maxLines = 20000): (text: string) => number {
  let counts = new Map<string, number>();
  return (text) => {
    let total = 0;
    for (const line of text.split('\n')) {
      let n = counts.get(line);
      if (n === undefined) {
        if (counts.size >= maxLines) counts = new Map();
        n = line === '' ? 0 : encodeLine(line);
        counts.set(line, n);
      }
      total += n + 1;
    }
    return total - 1;
  };
}
