import type { ContextChunk } from '../completion/contextChunks';

/** A family's own multi-file prompt: special tokens that introduce the repository and each file, before the FIM prompt. */
export interface FimRepoFormat {
  /** Token before the repository's name (Qwen2.5-Coder's <|repo_name|>); the name written is always "infill". */
  readonly repoName?: string;
  /** Token before each file: the file's path, a newline, its text, a newline. */
  readonly fileSep: string;
  /** Whether the current file's path follows, after one more separator (the FIM prompt then continues that file). */
  readonly currentFile: boolean;
}

/** The repository prompt as (special token, plain text) pairs, which the token and text builders each write their way. */
export function repoSegments(
  repo: FimRepoFormat,
  context: { path: string; chunks: readonly ContextChunk[] },
): { token: string; text: string }[] {
  return [
    ...(repo.repoName === undefined ? [] : [{ token: repo.repoName, text: 'infill\n' }]),
    ...context.chunks.map((c) => ({ token: repo.fileSep, text: `${c.path}\n${c.text}\n` })),
    ...(repo.currentFile ? [{ token: repo.fileSep, text: `${context.path}\n` }] : []),
  ];
}
