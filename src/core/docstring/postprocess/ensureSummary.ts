/**
 * The first line is the summary. Where the model wrote nothing usable, a placeholder says so plainly (the user fills it
 * in) rather than leaving an empty comment; seeded words (Go's name, Doxygen's @brief) stay in front.
 */
export function ensureSummary(lines: readonly string[], seed: string, name: string): string[] {
  const first = lines[0] ?? '';
  if (first.trim() && first.trim() !== seed.trim()) return [...lines];
  const placeholder = seed ? `${seed}TODO.` : `TODO: describe ${name}.`;
  return [placeholder, ...lines.slice(1)];
}
