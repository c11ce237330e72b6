import { chunksAsComments, type ContextChunk } from '../completion/contextChunks';
import { InfillError } from '../errors';
import { FIM_FAMILIES, FIM_REGISTRY, familyFromModelName, type FimFamilyName } from './registry';
import { repoSegments } from './repoFormat';
import type { FimFamilySpec } from './spec';

export { familyFromModelName } from './registry';

/*
 * Fill-in-the-middle prompts as text, for a remote server that tokenizes the prompt itself (special tokens written in
 * the text are parsed by vLLM, TGI, llama.cpp and Ollama). Built from the same family declarations as the token-id
 * prompts of tokenPrompt.ts.
 */

export interface TextFimPrompt {
  prompt: string;
  stops: string[];
  /** e.g. "qwen (raw)". */
  label: string;
}

/** Other files as the family's own repository format where it has one, else as comments before the prefix. */
function withContext(
  spec: FimFamilySpec,
  prefix: string,
  context: { path: string; chunks: readonly ContextChunk[] } | undefined,
): { head: string; prefix: string } {
  if (!context?.chunks.length) return { head: '', prefix };
  if (spec.repo)
    return {
      head: repoSegments(spec.repo, context)
        .map((s) => s.token + s.text)
        .join(''),
      prefix,
    };
  return { head: '', prefix: chunksAsComments(context.path, context.chunks) + prefix };
}

/** The raw FIM prompt for a remote model (prefix-suffix-middle, the order every family was trained on). */
export function buildTextFimPrompt(
  family: FimFamilyName | 'auto',
  model: string,
  prefix: string,
  suffix: string,
  context?: { path: string; chunks: readonly ContextChunk[] },
): TextFimPrompt {
  const name = family === 'auto' ? familyFromModelName(model) : family;
  const spec = FIM_REGISTRY.find((f) => f.name === name);
  if (!spec) {
    throw new InfillError(
      'bad-settings',
      `Cannot tell the FIM format of the remote model "${model}" from its name`,
      `Set infill.fim.family to the model's family (${FIM_FAMILIES.join(', ')}), or set infill.remote.fimMode to suffix`,
    );
  }
  const t = spec.textTokens ?? spec.tokens;
  const ctx = withContext(spec, prefix, context);
  return {
    prompt: `${ctx.head}${t.prefix}${ctx.prefix}${t.suffix}${suffix}${t.middle}`,
    stops: [...spec.textStops],
    label: `${spec.name} (raw)`,
  };
}
