import type { StyleSpec } from '../styles';
import type { Definition } from '../types';
import { commentLines } from './commentLines';
import { cutAtClosing } from './cutAtClosing';
import { cutCodeLeak } from './cutCodeLeak';
import { ensureParams } from './ensureParams';
import { ensureSummary } from './ensureSummary';
import { limitLength } from './limitLength';
import { normalizeLines } from './normalizeLines';

export { commentLines, cutAtClosing, cutCodeLeak, ensureParams, ensureSummary, limitLength, normalizeLines };
export { looksLikeCode } from './cutCodeLeak';

/**
 * Raw model output (what the model wrote after the opening delimiter and seed) to the content of a well-formed doc
 * comment: cut at the closing delimiter, comment markers off, code that leaked out cut, tidy indentation, a length
 * limit, a summary, every parameter named. The result is content lines (relative indentation in spaces), rendered by
 * the style.
 */
export function postprocessDoc(raw: string, spec: StyleSpec, def: Pick<Definition, 'name' | 'params'>): string[] {
  const seed = spec.seed(def as Definition);
  let lines = commentLines(cutAtClosing(raw, spec.closing), spec.lineMarker);
  lines = cutCodeLeak(lines);
  lines = normalizeLines(lines);
  lines = limitLength(lines);
  if (seed) lines = lines.length ? [seed + lines[0], ...lines.slice(1)] : [];
  lines = ensureSummary(lines, seed, def.name);
  if (spec.style === 'xmldoc') lines = ['<summary>', ...lines, '</summary>'];
  return ensureParams(lines, def.params, spec);
}
