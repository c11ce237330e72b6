/** A piece of another file offered to the model as context. */
export interface ContextChunk {
  path: string;
  text: string;
}

const similarity = (a: string, b: string): number => {
  const la = new Set(
    a
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
  const lb = new Set(
    b
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
  if (la.size === 0 || lb.size === 0) return 0;
  let common = 0;
  for (const l of la) if (lb.has(l)) common++;
  return common / (la.size + lb.size - common);
};

/**
 * A small ring buffer of chunks from recently opened and edited files (as llama.vscode keeps): the lines around each
 * edit, newest first; a chunk that is nearly the same as one already kept replaces it.
 */
export class RecentChunks {
  private chunks: ContextChunk[] = [];

  constructor(
    private readonly capacity = 16,
    private readonly chunkLines = 32,
    private readonly duplicateThreshold = 0.8,
  ) {}

  /** Records the lines of `text` around `line` (0-based) of the file at `path`. */
  add(path: string, text: string, line: number): void {
    const lines = text.split('\n');
    const start = Math.max(0, Math.min(line - Math.floor(this.chunkLines / 2), lines.length - this.chunkLines));
    this.addChunk(path, lines.slice(start, start + this.chunkLines).join('\n'));
  }

  /** Records a chunk as it is (the caller already cut it out of its file). */
  addChunk(path: string, text: string): void {
    const chunk = { path, text };
    if (chunk.text.trim().length < 16) return;
    this.chunks = this.chunks.filter(
      (c) => !(c.path === path && similarity(c.text, chunk.text) >= this.duplicateThreshold),
    );
    this.chunks.unshift(chunk);
    if (this.chunks.length > this.capacity) this.chunks.length = this.capacity;
  }

  forget(path: string): void {
    this.chunks = this.chunks.filter((c) => c.path !== path);
  }

  /** Chunks from files other than `currentPath`, newest first, within `budgetChars` in all. */
  pick(currentPath: string, budgetChars: number): ContextChunk[] {
    const out: ContextChunk[] = [];
    let used = 0;
    for (const c of this.chunks) {
      if (c.path === currentPath) continue;
      if (used + c.text.length > budgetChars) continue;
      out.push(c);
      used += c.text.length;
    }
    return out;
  }
}

const LINE_COMMENT: Record<string, string> = {
  py: '#',
  rb: '#',
  sh: '#',
  pl: '#',
  r: '#',
  yaml: '#',
  yml: '#',
  toml: '#',
  ps1: '#',
  jl: '#',
  ex: '#',
  exs: '#',
  lua: '--',
  sql: '--',
  hs: '--',
  elm: '--',
};

/** The line comment of a file's language, from its extension ('//' for the C family and most others). */
export function lineCommentFor(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return LINE_COMMENT[ext] ?? '//';
}

/**
 * Context for models with no multi-file format (Code Llama, DeepSeek-Coder, CodeGemma): each chunk goes before the
 * prefix under a comment naming its file, as the current file's language writes comments.
 */
export function chunksAsComments(currentPath: string, chunks: readonly ContextChunk[]): string {
  const c = lineCommentFor(currentPath);
  return chunks
    .map(
      (ch) =>
        `${c} Path: ${ch.path}\n${ch.text
          .split('\n')
          .map((l) => `${c} ${l}`.trimEnd())
          .join('\n')}\n`,
    )
    .join('');
}
