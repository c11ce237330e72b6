import { capLines } from './capLines';
import { dropRepetition } from './dropRepetition';
import { dropSuffixRepeat } from './dropSuffixRepeat';
import { dropWhitespaceOnly } from './dropWhitespaceOnly';
import { matchIndentation } from './matchIndentation';
import { noDuplicateClosers } from './noDuplicateClosers';
import { oneLine } from './oneLine';
import { stopAtDedent } from './stopAtDedent';
import { trimLeadingSpaceRun } from './trimLeadingSpaceRun';
import type { CompletionFilter, FilterContext } from './types';

export type { CompletionFilter, FilterContext } from './types';

/** Every filter by name, for golden fixtures and logs. */
export const FILTERS: Record<string, CompletionFilter> = {
  oneLine,
  trimLeadingSpaceRun,
  dropRepetition,
  stopAtDedent,
  dropSuffixRepeat,
  noDuplicateClosers,
  matchIndentation,
  dropWhitespaceOnly,
  capLines,
};

/** The order the completion pipeline applies them in. */
export const PIPELINE: readonly CompletionFilter[] = [
  oneLine,
  trimLeadingSpaceRun,
  dropRepetition,
  matchIndentation,
  stopAtDedent,
  capLines,
  dropSuffixRepeat,
  noDuplicateClosers,
  dropWhitespaceOnly,
];

export function postprocess(text: string, context: FilterContext): string {
  return PIPELINE.reduce((t, f) => (t === '' ? t : f(t, context)), text);
}
