/** A text cut at its first stop string, and whether a stop string was found. */
export interface CutText {
  text: string;
  cut: boolean;
}

/**
 * The text up to the earliest of the stop strings. The engine keeps a stop string it met at the end of its text, and
 * some servers ignore `stop` or send special tokens as text: both backends cut with this. Empty stops are ignored.
 */
export function cutAtStops(text: string, stops: readonly string[]): CutText {
  let end = text.length;
  for (const s of stops) {
    const at = s ? text.indexOf(s) : -1;
    if (at >= 0 && at < end) end = at;
  }
  return { text: text.slice(0, end), cut: end < text.length };
}
