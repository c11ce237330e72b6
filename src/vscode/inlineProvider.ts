import * as vscode from 'vscode';
import { postprocess } from '../core/completion/filters';
import { decideMultiline } from '../core/completion/multiline';
import { splitAround } from '../core/document';
import type { EngineClient } from '../engine-client/client';
import { inlineEnabledFor, readSettings } from './settings';

/** Waits `ms` unless the token is cancelled first; true when the wait completed. */
function debounce(ms: number, token: vscode.CancellationToken): Promise<boolean> {
  return new Promise((resolve) => {
    if (token.isCancellationRequested) { resolve(false); return; }
    const timer = setTimeout(() => { sub.dispose(); resolve(true); }, ms);
    const sub = token.onCancellationRequested(() => { clearTimeout(timer); sub.dispose(); resolve(false); });
  });
}

/** Ghost text from the local model: the document around the cursor as a fill-in-the-middle prompt. */
export class InlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  constructor(private readonly client: EngineClient, private readonly log: vscode.LogOutputChannel) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument, position: vscode.Position, context: vscode.InlineCompletionContext, token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const settings = readSettings();
    const manual = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
    if (!manual && !inlineEnabledFor(settings, document.languageId)) return undefined;
    if (!manual && !(await debounce(settings.debounceMs, token))) return undefined;
    const text = document.getText();
    const { prefix, suffix } = splitAround(text, document.offsetAt(position));
    const line = document.lineAt(position.line).text;
    const linePrefix = line.slice(0, position.character);
    const lineSuffix = line.slice(position.character);
    const multiline = decideMultiline(linePrefix, lineSuffix, prefix.slice(0, prefix.length - linePrefix.length));
    const editorOptions = vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor.options : undefined;
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      const r = await this.client.request('complete', {
        prefix, suffix, maxNewTokens: settings.maxTokens, fimOrder: settings.fimOrder, fimFamily: settings.fimFamily, kind: 'inline',
        stopStrings: multiline ? ['\n\n\n'] : ['\n'],
      }, controller.signal);
      this.log.debug(`inline: ${r.generatedTokens} tokens (${r.stopReason}), ${r.promptTokens} prompt tokens (${r.reusedTokens} reused), ${Math.round(r.totalMs)} ms`);
      const followingLines = document.getText(new vscode.Range(position.line + 1, 0, Math.min(document.lineCount, position.line + 30), 0));
      const completion = postprocess(r.text, {
        linePrefix, lineSuffix, followingLines, multiline,
        insertSpaces: editorOptions?.insertSpaces !== false, tabSize: typeof editorOptions?.tabSize === 'number' ? editorOptions.tabSize : 4,
      });
      if (token.isCancellationRequested || !completion) return undefined;
      return [new vscode.InlineCompletionItem(completion, new vscode.Range(position, position))];
    } catch (err) {
      if (!controller.signal.aborted) this.log.warn(`inline: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    } finally {
      sub.dispose();
    }
  }
}
