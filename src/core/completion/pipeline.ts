import type { CompleteParams, GenerationReport, ModelBackend } from '../backend/types';
import { splitAround } from '../document';
import type { CompletionCache } from './cache';
import type { ContextChunk } from './contextChunks';
import { postprocess } from './filters';
import { decideMultiline } from './multiline';

/** Where a completion is asked for: the whole document text, the cursor offset, and the editor's indentation. */
export interface CompletionSite {
  /** Identifies the document for the cache (its URI in the editor, its path in the CLI). */
  document: string;
  text: string;
  offset: number;
  insertSpaces: boolean;
  tabSize: number;
  /** Chunks of other open or recently edited files. */
  chunks?: ContextChunk[];
  /** The document's path as the model should see it (workspace-relative). */
  path?: string;
}

export interface CompletionSettings {
  maxNewTokens: number;
  fimOrder: CompleteParams['fimOrder'];
  fimFamily: CompleteParams['fimFamily'];
  deadlineMs?: number;
  kind?: string;
  /** Token budgets of the prefix and suffix windows (defaults 1024 and 256). */
  prefixTokens?: number;
  suffixTokens?: number;
  /** Most lines of a multi-line completion (default 8). */
  maxLines?: number;
}

export interface PipelineResult {
  /** What to insert at the cursor ('' for no suggestion). */
  completion: string;
  /** The model's middle before post-processing. */
  raw: string;
  multiline: boolean;
  /** Absent when the answer came from the cache (an exact repeat or typed-ahead text) without a generation. */
  report: GenerationReport | undefined;
}

const FOLLOWING_LINES = 30;

/**
 * The completion pipeline shared by the inline completion provider and `infill complete`: context windows, the
 * single/multi-line decision, generation, post-processing filters.
 */
export async function completeAt(
  backend: Pick<ModelBackend, 'complete'>,
  site: CompletionSite,
  settings: CompletionSettings,
  signal?: AbortSignal,
  cache?: CompletionCache,
): Promise<PipelineResult> {
  const { text, offset } = site;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEndAt = text.indexOf('\n', offset);
  const lineEnd = lineEndAt < 0 ? text.length : lineEndAt;
  const linePrefix = text.slice(lineStart, offset);
  const lineSuffix = text.slice(offset, lineEnd).replace(/\r$/, '');
  const multiline = decideMultiline(linePrefix, lineSuffix, text.slice(0, lineStart));
  const { prefix, suffix } = splitAround(text, offset);
  const cached = cache?.lookup(site.document, prefix, suffix);
  if (cached !== undefined) return { completion: cached, raw: cached, multiline, report: undefined };
  const report = await backend.complete(
    {
      prefix,
      suffix,
      maxNewTokens: settings.maxNewTokens,
      fimOrder: settings.fimOrder,
      fimFamily: settings.fimFamily,
      stopStrings: multiline ? ['\n\n\n'] : ['\n'],
      deadlineMs: settings.deadlineMs,
      kind: settings.kind ?? 'inline',
      maxPrefixTokens: settings.prefixTokens ?? 1024,
      maxSuffixTokens: settings.suffixTokens ?? 256,
      ...(site.chunks?.length ? { context: { path: site.path ?? site.document, chunks: site.chunks } } : {}),
    },
    signal,
  );
  const followingLines =
    lineEndAt < 0
      ? ''
      : text
          .slice(lineEnd + 1)
          .split('\n')
          .slice(0, FOLLOWING_LINES)
          .join('\n');
  const completion = postprocess(report.text, {
    linePrefix,
    lineSuffix,
    followingLines,
    multiline,
    maxLines: settings.maxLines ?? 8,
    insertSpaces: site.insertSpaces,
    tabSize: site.tabSize,
  });
  if (report.stopReason !== 'aborted' && report.stopReason !== 'preempted')
    cache?.store(site.document, prefix, suffix, completion);
  return { completion, raw: report.text, multiline, report };
}
