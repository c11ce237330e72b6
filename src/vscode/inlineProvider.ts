import * as vscode from 'vscode';
import { CompletionCache } from '../core/completion/cache';
import { RecentChunks } from '../core/completion/contextChunks';
import { AdaptiveDebounce, textRightOfCursorBlocks } from '../core/completion/debounce';
import { completeAt } from '../core/completion/pipeline';
import { promptText } from '../core/backend/reportText';
import type { ModelBackend } from '../core/backend/types';
import { inlineEnabledFor, readSettings } from './settings';

/** Waits `ms` unless the token is cancelled first; true when the wait completed. */
function debounce(ms: number, token: vscode.CancellationToken): Promise<boolean> {
  return new Promise((resolve) => {
    if (token.isCancellationRequested) {
      resolve(false);
      return;
    }
    const timer = setTimeout(() => {
      sub.dispose();
      resolve(true);
    }, ms);
    const sub = token.onCancellationRequested(() => {
      clearTimeout(timer);
      sub.dispose();
      resolve(false);
    });
  });
}

/** Records the lines around `line` of a document as context for completions in other files. */
export function recordChunk(recent: RecentChunks, document: vscode.TextDocument, line: number): void {
  if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled' && document.uri.scheme !== 'vscode-remote')
    return;
  const start = Math.max(0, line - 16);
  const end = Math.min(document.lineCount, start + 32);
  recent.addChunk(vscode.workspace.asRelativePath(document.uri), document.getText(new vscode.Range(start, 0, end, 0)));
}

/** Ghost text from the local model: the document around the cursor as a fill-in-the-middle prompt. */
/** Local-only counts, shown in the status bar tooltip; nothing leaves the machine. */
export interface InlineStats {
  shown: number;
  accepted: number;
  /** Requests that failed for another reason than cancellation. */
  errors: number;
}

export class InlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  private readonly cache = new CompletionCache();
  readonly debounce = new AdaptiveDebounce(() => readSettings().debounceMs);
  readonly stats: InlineStats = { shown: 0, accepted: 0, errors: 0 };
  /** Chunks of recently opened and edited files, offered to the model as context. */
  readonly recent = new RecentChunks();

  /** `backend`: who answers now (Backends.main: the engine host, or the remote server). */
  constructor(
    private readonly backend: () => ModelBackend,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Forgets cached suggestions (another model or backend answers from now on). */
  clearCache(): void {
    this.cache.clear();
  }

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const settings = readSettings();
    const manual = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
    if (!manual && !inlineEnabledFor(settings, document.languageId)) return undefined;
    const lineSuffix = document.lineAt(position.line).text.slice(position.character);
    if (!manual && settings.skipWhenTextRightOfCursor && textRightOfCursorBlocks(lineSuffix)) return undefined;
    if (!manual && !(await debounce(this.debounce.delayMs(), token))) return undefined;
    const editorOptions =
      vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor.options : undefined;
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      const { completion, report: r } = await completeAt(
        this.backend(),
        {
          document: document.uri.toString(),
          text: document.getText(),
          offset: document.offsetAt(position),
          path: vscode.workspace.asRelativePath(document.uri),
          chunks:
            settings.otherFilesChars > 0
              ? this.recent.pick(vscode.workspace.asRelativePath(document.uri), settings.otherFilesChars)
              : [],
          insertSpaces: editorOptions?.insertSpaces !== false,
          tabSize: typeof editorOptions?.tabSize === 'number' ? editorOptions.tabSize : 4,
        },
        {
          maxNewTokens: settings.maxTokens,
          fimOrder: settings.fimOrder,
          fimFamily: settings.fimFamily,
          kind: 'inline',
          prefixTokens: settings.prefixTokens,
          suffixTokens: settings.suffixTokens,
          maxLines: settings.maxLines,
        },
        controller.signal,
        this.cache,
      );
      if (r) this.debounce.latency(r.totalMs);
      this.log.debug(
        r
          ? `inline: ${r.generatedTokens ?? '?'} tokens (${r.stopReason}), ${promptText(r)}, ${Math.round(r.totalMs)} ms`
          : 'inline: served from the cache',
      );
      if (token.isCancellationRequested || !completion) return undefined;
      this.stats.shown++;
      const item = new vscode.InlineCompletionItem(completion, new vscode.Range(position, position));
      item.command = { command: 'infill.inlineAccepted', title: 'Infill: inline completion accepted' };
      return [item];
    } catch (err) {
      if (!controller.signal.aborted) {
        this.stats.errors++;
        this.log.warn(`inline: ${err instanceof Error ? err.message : String(err)}`);
      }
      return undefined;
    } finally {
      sub.dispose();
    }
  }
}
