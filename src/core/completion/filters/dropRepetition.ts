import type { CompletionFilter } from './types';

/** Cuts the lines at the first place where a block of 1 to 4 lines repeats right after itself; the block is kept once. */
function cutRepeatedBlock(lines: string[]): string[] {
  for (let start = 0; start < lines.length; start++) {
    for (let size = 1; size <= 4 && start + 2 * size <= lines.length; size++) {
      const block = lines.slice(start, start + size);
      if (block.every((l) => l.trim() === '')) continue;
      const next = lines.slice(start + size, start + 2 * size);
      // A single line must repeat exactly, twice more (closing braces legitimately repeat once). A block of 2 to 4 lines
      // repeats once, compared without indentation (the completion's first line has none), if it holds real code.
      const trimmed = (ls: string[]) => ls.map((l) => l.trim()).join('\n');
      const repeats =
        size === 1
          ? lines.slice(start + 1, start + 3).length === 2 &&
            lines.slice(start + 1, start + 3).every((l) => l === block[0])
          : block.some((l) => l.trim().length >= 3) && trimmed(next) === trimmed(block);
      if (repeats) return lines.slice(0, start + size);
    }
  }
  return lines;
}

/**
 * Degenerate repetition: a line repeated three times, or a block of 2 to 4 lines repeated, is kept once; a line made of
 * one short pattern repeated many times is cut after its third repeat.
 */
export const dropRepetition: CompletionFilter = (text) =>
  cutRepeatedBlock(text.split('\n'))
    .map((line) => {
      const m = /^(.*?)((.{1,8}?)\3{3,})$/.exec(line);
      return m && m[3]!.trim() !== '' ? m[1]! + m[3]!.repeat(3) : line;
    })
    .join('\n');
