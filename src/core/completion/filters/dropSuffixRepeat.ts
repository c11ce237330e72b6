import type { CompletionFilter } from './types';

/**
 * Models often finish the hole and then carry on with the code that already follows it. Drop the completion's lines
 * from the first one that repeats the next non-empty line below the cursor, when all that follows repeats it too.
 * Lines compare with their indentation (so a closing brace of an inner block does not match the function's).
 */
export const dropSuffixRepeat: CompletionFilter = (text, ctx) => {
  const following = ctx.followingLines
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');
  if (following.length === 0) return text;
  const lines = text.split('\n');
  const absolute = lines.map((l, i) => (i === 0 ? ctx.linePrefix + l : l).trimEnd());
  for (let i = 0; i < lines.length; i++) {
    if (absolute[i] !== following[0]) continue;
    const rest = absolute.slice(i).filter((l) => l !== '');
    if (rest.every((l, k) => l === following[k])) return lines.slice(0, i).join('\n').replace(/\s+$/, '');
  }
  return text;
};
