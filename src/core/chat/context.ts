import type { ContextChip, ContextUse } from './types';

type Count = (text: string) => Promise<number>;

/** A Markdown fence longer than any backtick run in the text, so the code cannot close it. */
export function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

export function chipLabel(chip: Pick<ContextChip, 'kind' | 'path'>): string {
  return chip.kind === 'selection' ? `Selection from ${chip.path}` : `File ${chip.path}`;
}

function block(chip: ContextChip, lines: readonly string[], from: number, totalLines: number): string {
  const to = from + lines.length - 1;
  const whole = lines.length === totalLines;
  const where =
    chip.kind === 'file' && whole
      ? ''
      : ` (lines ${from}-${to}${whole ? '' : `; cut to fit, the text has ${totalLines} lines`})`;
  const text = lines.join('\n');
  const fence = fenceFor(text);
  return `${chipLabel(chip)}${where}:\n${fence}${chip.language}\n${text}\n${fence}`;
}

/**
 * Puts the chips' code into a token budget, in order: each chip whole when it fits, else its first lines (found by
 * binary search with the model's tokenizer), else (a single long line) its first characters; chips that find no room are
 * left out. Every cut is reported, so the user is told.
 */
export async function fitContext(
  chips: readonly ContextChip[],
  budget: number,
  count: Count,
): Promise<{ blocks: string[]; uses: ContextUse[] }> {
  const blocks: string[] = [];
  const uses: ContextUse[] = [];
  let left = budget;
  for (const chip of chips) {
    const all = chip.text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
    const total = all.length;
    const label = chipLabel(chip);
    const render = (n: number) => block(chip, all.slice(0, n), chip.startLine, total);
    // Sep: blocks are joined by a blank line, counted here as part of each block.
    const cost = async (text: string) => await count(`${text}\n\n`);
    let text = render(total);
    let tokens = await cost(text);
    let kept = total;
    const cut = tokens > left;
    if (cut) {
      // The most lines that fit: binary search on the line count (token counts grow with it).
      let lo = 0,
        hi = total - 1;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if ((await cost(render(mid))) <= left) lo = mid;
        else hi = mid - 1;
      }
      kept = lo;
      if (kept > 0) {
        text = render(kept);
        tokens = await cost(text);
      } else {
        // Not even one line: the first characters of the first line, if a useful part fits.
        const first = all[0] ?? '';
        const piece = (n: number) => block(chip, [`${first.slice(0, n)} …`], chip.startLine, total);
        let a = 0,
          b = first.length;
        while (a < b) {
          const mid = Math.ceil((a + b) / 2);
          if ((await cost(piece(mid))) <= left) a = mid;
          else b = mid - 1;
        }
        if (a >= 16) {
          text = piece(a);
          tokens = await cost(text);
          kept = 1;
        } else {
          uses.push({
            label,
            fromLine: chip.startLine,
            toLine: chip.startLine - 1,
            totalLines: total,
            tokens: 0,
            cut: true,
          });
          continue;
        }
      }
    }
    blocks.push(text);
    left -= tokens;
    uses.push({ label, fromLine: chip.startLine, toLine: chip.startLine + kept - 1, totalLines: total, tokens, cut });
  }
  return { blocks, uses };
}

/** One line for the user about the context that went with a question: what was cut or left out. */
export function describeContext(uses: readonly ContextUse[]): string | undefined {
  const cut = uses.filter((u) => u.cut);
  if (!cut.length) return undefined;
  return (
    'Context cut to fit the token budget: ' +
    cut
      .map((u) =>
        u.tokens === 0 ? `${u.label} left out` : `${u.label}: lines ${u.fromLine}-${u.toLine} of ${u.totalLines} kept`,
      )
      .join('; ')
  );
}
