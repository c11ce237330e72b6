import { chunksAsComments, type ContextChunk } from '../completion/contextChunks';
import { InfillError } from '../errors';
import type { FimFamilyName } from './format';

/**
 * Fill-in-the-middle prompts as text, for a remote server that tokenizes the prompt itself (special tokens written in
 * the text are parsed by vLLM, TGI, llama.cpp and Ollama). The same formats as src/core/fim, whose builders work on
 * token ids with a local tokenizer; a unit test checks that the token strings here are the ones those builders need.
 */
export interface TextFimFormat {
  family: FimFamilyName;
  prefix: string;
  suffix: string;
  middle: string;
  /** Text that ends the middle when the server does not stop on it by itself. */
  stops: readonly string[];
}

export const TEXT_FIM_FORMATS: Record<FimFamilyName, TextFimFormat> = {
  // Meta's text form of Code Llama's infilling prompt: the spaces belong to the special tokens (▁<PRE>, ▁<SUF>, ▁<MID>).
  codellama: { family: 'codellama', prefix: '<PRE> ', suffix: ' <SUF>', middle: ' <MID>', stops: ['<EOT>'] },
  starcoder: { family: 'starcoder', prefix: '<fim_prefix>', suffix: '<fim_suffix>', middle: '<fim_middle>', stops: ['<|endoftext|>', '<file_sep>'] },
  deepseek: { family: 'deepseek', prefix: '<｜fim▁begin｜>', suffix: '<｜fim▁hole｜>', middle: '<｜fim▁end｜>', stops: ['<|EOT|>', '<｜end▁of▁sentence｜>'] },
  qwen: { family: 'qwen', prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>', stops: ['<|endoftext|>', '<|fim_pad|>', '<|file_sep|>', '<|im_end|>'] },
  codegemma: { family: 'codegemma', prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>', stops: ['<|file_separator|>', '<eos>'] },
};

/** The family a served model name suggests (`Qwen/Qwen2.5-Coder-7B`, `codellama:7b-code`, `deepseek-coder-6.7b-base`...). */
export function familyFromModelName(model: string): FimFamilyName | undefined {
  const m = model.toLowerCase();
  if (/code-?llama/.test(m)) return 'codellama';
  if (m.includes('deepseek')) return 'deepseek';
  if (m.includes('codegemma')) return 'codegemma';
  if (m.includes('qwen')) return 'qwen';
  if (m.includes('starcoder')) return 'starcoder';
  return undefined;
}

export interface TextFimPrompt {
  prompt: string;
  stops: string[];
  /** e.g. "qwen (raw)". */
  label: string;
}

/** Other files as the family's own repository format where it has one, else as comments before the prefix. */
function withContext(f: TextFimFormat, prefix: string, context: { path: string; chunks: readonly ContextChunk[] } | undefined): { head: string; prefix: string } {
  if (!context?.chunks.length) return { head: '', prefix };
  if (f.family === 'qwen') {
    return { head: `<|repo_name|>infill\n${context.chunks.map((c) => `<|file_sep|>${c.path}\n${c.text}\n`).join('')}<|file_sep|>${context.path}\n`, prefix };
  }
  if (f.family === 'starcoder') return { head: context.chunks.map((c) => `<file_sep>${c.path}\n${c.text}\n`).join(''), prefix };
  return { head: '', prefix: chunksAsComments(context.path, context.chunks) + prefix };
}

/** The raw FIM prompt for a remote model (prefix-suffix-middle, the order every family was trained on). */
export function buildTextFimPrompt(
  family: FimFamilyName | 'auto', model: string, prefix: string, suffix: string, context?: { path: string; chunks: readonly ContextChunk[] },
): TextFimPrompt {
  const name = family === 'auto' ? familyFromModelName(model) : family;
  if (!name) {
    throw new InfillError('bad-settings', `Cannot tell the FIM format of the remote model "${model}" from its name`,
      'Set infill.fim.family to the model\'s family (codellama, starcoder, deepseek, qwen, codegemma), or set infill.remote.fimMode to suffix');
  }
  const f = TEXT_FIM_FORMATS[name];
  const ctx = withContext(f, prefix, context);
  return { prompt: `${ctx.head}${f.prefix}${ctx.prefix}${f.suffix}${suffix}${f.middle}`, stops: [...f.stops], label: `${name} (raw)` };
}
