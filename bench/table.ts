import * as fs from 'node:fs';
import * as path from 'node:path';

/** Replaces the block between <!-- NAME --> and <!-- /NAME --> in bench/README.md (appends it when missing). */
export function replaceResultsBlock(name: string, lines: string[]): void {
  const readme = path.join(__dirname, 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const start = `<!-- ${name} -->`,
    end = `<!-- /${name} -->`;
  const block = `${start}\n${lines.join('\n')}\n${end}`;
  const at = text.indexOf(start),
    stop = text.indexOf(end);
  fs.writeFileSync(
    readme,
    at >= 0 && stop > at ? text.slice(0, at) + block + text.slice(stop + end.length) : `${text}\n${block}\n`,
  );
}
