// Compares keystroke replays of two commits, run in alternation on one machine (bench/keystroke.ts --label ...):
// the median of each side's rounds, and after/before as a ratio. Writes bench/results/NAME.json (every round kept)
// and its table in bench/README.md.
// Usage: node --import tsx bench/compareKeystroke.ts --name N --before-rev R --after-rev R
//          --before a.json,b.json --after c.json,d.json
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { replaceResultsBlock } from './table';

interface Side {
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  cacheHits: number;
  promptTokensReusedPercent: number;
}
interface Run {
  date: string;
  machine: string;
  file: string;
  keystrokes?: number;
  warm: Side & { keystrokes: number };
  /** Absent in a warm-only run (`--only warm`). */
  cold?: Side;
}

const { values } = parseArgs({
  options: {
    name: { type: 'string' },
    before: { type: 'string' },
    after: { type: 'string' },
    'before-rev': { type: 'string' },
    'after-rev': { type: 'string' },
  },
});
if (!values.name || !values.before || !values.after) {
  throw new Error('usage: --name N --before a.json,b.json --after c.json,d.json [--before-rev R --after-rev R]');
}
const read = (list: string) => list.split(',').map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as Run);
const before = read(values.before);
const after = read(values.after);
const files = new Set([...before, ...after].map((r) => r.file));
if (files.size !== 1) throw new Error(`the runs replay different files: ${[...files].join(', ')}`);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const metrics = [
  ['warm p50', (r: Run) => r.warm.p50Ms],
  ['warm p95', (r: Run) => r.warm.p95Ms],
  ['warm mean', (r: Run) => r.warm.meanMs],
  ['cold p50', (r: Run) => r.cold?.p50Ms],
  ['cold p95', (r: Run) => r.cold?.p95Ms],
  ['cold mean', (r: Run) => r.cold?.meanMs],
] as const;
const all = [...before, ...after];
const rows = metrics
  .filter(([, get]) => all.every((r) => get(r) !== undefined))
  .map(([label, get]) => {
    const b = before.map((r) => get(r)!),
      a = after.map((r) => get(r)!);
    return {
      metric: label,
      beforeMs: round(median(b)),
      afterMs: round(median(a)),
      ratio: round(median(a) / median(b), 2),
      beforeRange: [Math.min(...b), Math.max(...b)],
      afterRange: [Math.min(...a), Math.max(...a)],
    };
  });
const same = (get: (r: Run) => number) => new Set([...before, ...after].map(get)).size === 1;
const behaviourSame = same((r) => r.warm.cacheHits) && same((r) => r.warm.promptTokensReusedPercent);

const result = {
  date: after[0]!.date.slice(0, 10),
  machine: after[0]!.machine,
  file: [...files][0],
  beforeRev: values['before-rev'],
  afterRev: values['after-rev'],
  rounds: { before: before.length, after: after.length },
  rows,
  sameCacheHitsAndKvReuse: behaviourSame,
  runs: { before, after },
};
fs.writeFileSync(path.join(__dirname, 'results', `${values.name}.json`), JSON.stringify(result, null, 2) + '\n');
const range = (r: number[]) => (r[0] === r[1] ? `${r[0]}` : `${r[0]}-${r[1]}`);
const lines = [
  `Keystroke replay of ${result.file}, ${values['before-rev'] ?? 'before'} against ${values['after-rev'] ?? 'after'} (${result.date}, ${result.machine}; ${before.length} and ${after.length} rounds, run in alternation; medians, ranges in brackets).`,
  '',
  '| metric | before (ms) | after (ms) | after / before |',
  '|---|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.metric} | ${r.beforeMs} [${range(r.beforeRange)}] | ${r.afterMs} [${range(r.afterRange)}] | ${r.ratio} |`,
  ),
  '',
  behaviourSame
    ? `Both answered the same keystrokes from the completion cache (${after[0]!.warm.cacheHits}) and reused the same share of prompt tokens from the KV cache (${after[0]!.warm.promptTokensReusedPercent}%).`
    : 'The runs differ in completion-cache hits or KV reuse: behaviour changed, compare with care.',
];
replaceResultsBlock(values.name, lines);
console.log(lines.join('\n'));
