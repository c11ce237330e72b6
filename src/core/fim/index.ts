import type { Tokenizer } from '../engine/tokenizer';
import { InfillError } from '../errors';
import { chunksAsComments } from '../completion/contextChunks';
import type { FimContext, FimFamily, FimOrder } from './format';
import { FIM_REGISTRY, type FimFamilyName } from './registry';
import { tokenFimFamily } from './tokenPrompt';

export type { FimContext, FimFamily, FimOrder } from './format';
export { FIM_FAMILIES, type FimFamilyName } from './registry';

/** In the registry's order, which is detection order. */
const FAMILIES: readonly FimFamily[] = FIM_REGISTRY.map(tokenFimFamily);

export function fimFamily(name: FimFamilyName): FimFamily {
  const family = FAMILIES.find((f) => f.name === name);
  if (!family) throw new Error(`unknown FIM family ${name}`);
  return family;
}

/** The family whose FIM tokens the tokenizer has, if any. */
export function detectFimFamily(tokenizer: Tokenizer): FimFamily | undefined {
  return FAMILIES.find((f) => f.detect(tokenizer));
}

export type FimOrderSetting = 'auto' | FimOrder;

/**
 * SPM is only safe when the prefix ends on a token boundary (Code Llama paper, App. E): the model continues the
 * prefix's last token otherwise. A prefix that is empty or ends a line is on a boundary in every vocabulary.
 */
export function endsOnTokenBoundary(prefix: string): boolean {
  return prefix === '' || prefix.endsWith('\n');
}

export interface FimPrompt {
  ids: number[];
  family: FimFamilyName;
  order: FimOrder;
  /** e.g. "codellama-spm", "qwen". */
  label: string;
  stopTokenIds: number[];
}

/** Builds the infilling prompt for the model's family; `auto` uses SPM where the family supports it and it is safe. */
export function buildFimPrompt(
  tokenizer: Tokenizer,
  prefix: string,
  suffix: string,
  options: { family?: FimFamilyName | 'auto'; order?: FimOrderSetting; context?: FimContext } = {},
): FimPrompt {
  const family = options.family && options.family !== 'auto' ? fimFamily(options.family) : detectFimFamily(tokenizer);
  if (!family) {
    throw new InfillError(
      'no-fim-support',
      'This model has no fill-in-the-middle tokens',
      `Use a code model trained for infilling (${FIM_REGISTRY.map((f) => f.displayName).join(', ')}) or set the FIM format explicitly`,
    );
  }
  if (!family.detect(tokenizer)) {
    throw new InfillError(
      'no-fim-support',
      `The tokenizer lacks the ${family.name} FIM tokens`,
      'Set the FIM format to auto, or to the family the model belongs to',
    );
  }
  const wanted = options.order ?? 'auto';
  const spm = family.supportsSpm && wanted !== 'psm' && endsOnTokenBoundary(prefix);
  const order: FimOrder = spm ? 'spm' : 'psm';
  const context = options.context?.chunks.length ? options.context : undefined;
  const repoIds = context ? family.contextIds?.(tokenizer, context) : undefined;
  const fullPrefix = context && !repoIds ? chunksAsComments(context.path, context.chunks) + prefix : prefix;
  let ids = family.build(tokenizer, fullPrefix, suffix, order);
  if (repoIds) {
    const at = tokenizer.bosTokenId !== undefined && ids[0] === tokenizer.bosTokenId ? 1 : 0;
    ids = [...ids.slice(0, at), ...repoIds, ...ids.slice(at)];
  }
  return {
    ids,
    family: family.name,
    order,
    label: family.supportsSpm ? `${family.name}-${order}` : family.name,
    stopTokenIds: family.stopTokenIds(tokenizer),
  };
}
