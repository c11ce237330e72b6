import type { CompleteParams, GenerationReport, ModelBackend } from '../backend/types';
import { planDocstring, type DocstringPlan, type DocstringRequest } from './plan';
import { postprocessDoc } from './postprocess';
import type { DocLanguage, DocPosition, DocStyle } from './types';

export {
  docLanguageOf,
  docLanguageOfPath,
  DOC_LANGUAGE_IDS,
  DOC_LANGUAGES,
  SUPPORTED_LANGUAGES_LINE,
} from './languages';
export { matchHeader } from './headers';
export { locateDefinition } from './locate';
export { detectPythonStyle } from './pythonStyle';
export { planDocstring, type DocstringPlan, type DocstringRequest } from './plan';
export type * from './types';

/** A finished doc comment and where it goes (0-based lines and characters). */
export interface DocstringResult {
  /** The exact text to insert at `insertAt` (or to put in place of `replaces`): the whole comment, indented, with its line break. */
  docstring: string;
  language: DocLanguage;
  style: DocStyle;
  name: string;
  kind: 'function' | 'class';
  insertAt: DocPosition;
  replaces: { start: DocPosition; end: DocPosition } | null;
  /** The comment it replaces, as it is in the file. */
  existing: string | null;
}

/** Turns the model's raw output for a plan into the final, well-formed comment. Pure: the goldens test it. */
export function finishDocstring(plan: DocstringPlan, raw: string): DocstringResult {
  const content = postprocessDoc(raw, plan.spec, plan.definition);
  const rendered = plan.spec.render(content, plan.indent, plan.unit).join(plan.eol);
  const endsFile = plan.replaces ? plan.replaces.end.character > 0 : plan.leadingEol;
  const docstring = plan.leadingEol ? plan.eol + rendered : endsFile ? rendered : rendered + plan.eol;
  return {
    docstring,
    language: plan.language,
    style: plan.spec.style,
    name: plan.definition.name,
    kind: plan.definition.kind,
    insertAt: plan.insertAt,
    replaces: plan.replaces,
    existing: plan.existingText ?? null,
  };
}

export interface DocstringGeneration {
  maxNewTokens: number;
  fimOrder: CompleteParams['fimOrder'];
  fimFamily: CompleteParams['fimFamily'];
  deadlineMs?: number;
}

/**
 * Writes the doc comment for the definition at the cursor by infilling: the model fills the comment between its opening
 * delimiter (the prefix ends there) and its closing delimiter and the code (the suffix starts there).
 */
export async function writeDocstring(
  req: DocstringRequest,
  backend: Pick<ModelBackend, 'complete'>,
  gen: DocstringGeneration,
  signal?: AbortSignal,
): Promise<{ result: DocstringResult; report: GenerationReport; plan: DocstringPlan }> {
  const plan = planDocstring(req);
  const report = await backend.complete(
    {
      prefix: plan.prefix,
      suffix: plan.suffix,
      maxNewTokens: gen.maxNewTokens,
      fimOrder: gen.fimOrder,
      fimFamily: gen.fimFamily,
      stopStrings: plan.stopStrings,
      deadlineMs: gen.deadlineMs,
      maxPrefixTokens: 1536,
      maxSuffixTokens: 512,
      kind: 'docstring',
    },
    signal,
  );
  return { result: finishDocstring(plan, report.text), report, plan };
}
