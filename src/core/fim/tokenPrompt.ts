import type { Tokenizer } from '../engine/tokenizer';
import type { FimContext, FimFamily } from './format';
import type { FimFamilyName } from './registry';
import { repoSegments, type FimRepoFormat } from './repoFormat';
import type { FimFamilySpec } from './spec';

/** Looks up token strings, failing with the name of the missing one. */
function requireTokens(tokenizer: Tokenizer, family: FimFamilyName, tokens: readonly string[]): number[] {
  return tokens.map((t) => {
    const id = tokenizer.tokenId(t);
    if (id === undefined) throw new Error(`the tokenizer has no ${t} token, which the ${family} FIM format needs`);
    return id;
  });
}

const optionalTokens = (tokenizer: Tokenizer, tokens: readonly string[]): number[] =>
  tokens.map((t) => tokenizer.tokenId(t)).filter((id): id is number => id !== undefined);

const hasTokens = (tokenizer: Tokenizer, tokens: readonly string[]): boolean =>
  tokens.every((t) => tokenizer.tokenId(t) !== undefined);

/** The repository prompt's ids; undefined when the tokenizer lacks one of its tokens (the caller falls back to comments). */
function repoIds(tokenizer: Tokenizer, repo: FimRepoFormat, context: FimContext): number[] | undefined {
  const ids: number[] = [];
  for (const segment of repoSegments(repo, context)) {
    const id = tokenizer.tokenId(segment.token);
    if (id === undefined) return undefined;
    ids.push(id, ...tokenizer.encodeContinuation(segment.text));
  }
  return ids;
}

/** The token-id prompt builder of a declared family: its three special tokens around the encoded text. */
export function tokenFimFamily(spec: FimFamilySpec<FimFamilyName>): FimFamily {
  const tokens = [spec.tokens.prefix, spec.tokens.suffix, spec.tokens.middle];
  const { repo } = spec;
  return {
    name: spec.name,
    supportsSpm: spec.supportsSpm,
    detect: (tokenizer) => hasTokens(tokenizer, spec.marker === undefined ? tokens : [...tokens, spec.marker]),
    build(tokenizer, prefix, suffix, order) {
      const [pre, suf, mid] = requireTokens(tokenizer, spec.name, tokens) as [number, number, number];
      const bos = spec.bos && tokenizer.bosTokenId !== undefined ? [tokenizer.bosTokenId] : [];
      const p = tokenizer.encodeLines(prefix, spec.prefixLeadingSpace ?? false);
      const s = tokenizer.encodeLines(suffix, false);
      return order === 'spm' && spec.supportsSpm
        ? [...bos, pre, suf, ...s, mid, ...p]
        : [...bos, pre, ...p, suf, ...s, mid];
    },
    stopTokenIds: (tokenizer) => optionalTokens(tokenizer, spec.stops),
    ...(repo ? { contextIds: (tokenizer: Tokenizer, context: FimContext) => repoIds(tokenizer, repo, context) } : {}),
  };
}
