import type { StyleSpec } from '../styles';
import type { Param } from '../types';

/** Every parameter is named: entries in the convention's format ("TODO." stubs) are added for the ones not documented. */
export function ensureParams(
  lines: readonly string[],
  params: readonly Param[],
  spec: Pick<StyleSpec, 'documents' | 'addParams'>,
): string[] {
  const missing = params.filter((p) => !spec.documents(lines, p.name));
  return missing.length ? spec.addParams(lines, missing) : [...lines];
}
