import * as fs from 'node:fs';
import * as path from 'node:path';
import { InfillError } from './errors';

/** The benchmark files the repository carries in data/ (MIT, OpenAI; each folder has its LICENSE). */
export const BUNDLED_DATASETS = {
  /** HumanEval-infilling, single-line: the default of `infill eval fim`. */
  fimSingleLine: 'human-eval-infilling/HumanEval-SingleLineInfilling.jsonl.gz',
  fimMultiLine: 'human-eval-infilling/HumanEval-MultiLineInfilling.jsonl.gz',
  fimRandomSpanLight: 'human-eval-infilling/HumanEval-RandomSpanInfillingLight.jsonl.gz',
  /** HumanEval's 164 problems: the default questions of `infill selfinstruct`. */
  humanEval: 'human-eval/HumanEval.jsonl.gz',
} as const;
export type BundledDataset = keyof typeof BUNDLED_DATASETS;

/**
 * A file of the repository's data/ folder, found from wherever this code runs (sources or the dist/ bundle), as
 * shippedModelDir finds the model. The VSIX does not carry data/: there the flag that names a file is needed.
 */
export function bundledDataset(which: BundledDataset, flag: string, from: string = __dirname): string {
  const rel = BUNDLED_DATASETS[which];
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'data', ...rel.split('/'));
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new InfillError(
    'file-not-found',
    `This installation has no data/${rel} to use by default`,
    `Give ${flag} a file (a clone of the Infill repository has it in data/${rel})`,
  );
}
