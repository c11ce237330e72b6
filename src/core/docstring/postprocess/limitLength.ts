/** The longest doc Infill writes before parameter entries: a summary and a few paragraphs, not a runaway generation. */
export const MAX_DOC_LINES = 24;
export const MAX_LINE_CHARS = 160;

/** Caps the number of lines, and cuts an overlong line at its last word boundary. */
export function limitLength(lines: readonly string[], maxLines = MAX_DOC_LINES, maxChars = MAX_LINE_CHARS): string[] {
  const out = lines.slice(0, maxLines).map((l) => {
    if (l.length <= maxChars) return l;
    const cut = l.lastIndexOf(' ', maxChars);
    return (cut > maxChars / 2 ? l.slice(0, cut) : l.slice(0, maxChars)).trimEnd();
  });
  while (out.length && out[out.length - 1]!.trim() === '') out.pop();
  return out;
}
