import * as vscode from 'vscode';
import {
  DOC_LANGUAGE_IDS,
  docLanguageOf,
  matchHeader,
  planDocstring,
  SUPPORTED_LANGUAGES_LINE,
  writeDocstring,
  type DocstringResult,
  type SymbolHint,
} from '../core/docstring';
import { tokensText } from '../core/backend/reportText';
import { InfillError } from '../core/errors';
import type { Backends } from './backends';
import { readSettings, settingsReader } from './settings';

/** Arguments of infill.generateDocstring (the code action passes a place; tests choose what happens to an existing docstring). */
export interface GenerateDocstringArgs {
  uri?: string;
  /** 0-based line. */
  line?: number;
  /** What to do when the definition already has a doc comment: ask (a preview with Replace / Keep), replace, keep. */
  onExisting?: 'ask' | 'replace' | 'keep';
}

export type GenerateDocstringOutcome =
  | { status: 'inserted' | 'replaced' | 'kept'; result: DocstringResult }
  | { status: 'cancelled' | 'no-editor' | 'unsupported' | 'not-found' | 'changed' | 'failed'; message?: string };

const SYMBOL_KINDS: Partial<Record<vscode.SymbolKind, SymbolHint['kind']>> = {
  [vscode.SymbolKind.Function]: 'function',
  [vscode.SymbolKind.Method]: 'method',
  [vscode.SymbolKind.Constructor]: 'constructor',
  [vscode.SymbolKind.Class]: 'class',
  [vscode.SymbolKind.Interface]: 'interface',
  [vscode.SymbolKind.Struct]: 'struct',
  [vscode.SymbolKind.Enum]: 'enum',
  [vscode.SymbolKind.Variable]: 'variable',
  [vscode.SymbolKind.Constant]: 'variable',
};

/** The document symbol provider's answer, flattened for the core (empty when the language has no provider). */
async function symbolHints(uri: vscode.Uri): Promise<SymbolHint[]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const symbols = await Promise.race([
      vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
        'vscode.executeDocumentSymbolProvider',
        uri,
      ),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), 2000);
      }),
    ]);
    const out: SymbolHint[] = [];
    const visit = (s: vscode.DocumentSymbol | vscode.SymbolInformation) => {
      const kind = SYMBOL_KINDS[s.kind];
      const range = 'range' in s ? s.range : s.location.range;
      const selectionLine = 'selectionRange' in s ? s.selectionRange.start.line : range.start.line;
      if (kind) out.push({ name: s.name, kind, startLine: range.start.line, endLine: range.end.line, selectionLine });
      if ('children' in s) s.children.forEach(visit);
    };
    (symbols ?? []).forEach(visit);
    return out;
  } catch {
    return [];
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Infill: Generate Docstring: the doc comment for the function, method or class at the cursor, written by infilling,
 * by the backend Backends.main answers: the engine host, or the remote server's FIM completion.
 */
export class DocstringCommand {
  constructor(
    private readonly backends: Backends,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async run(args: GenerateDocstringArgs = {}): Promise<GenerateDocstringOutcome> {
    const editor = args.uri
      ? await vscode.window.showTextDocument(vscode.Uri.parse(args.uri), { preserveFocus: false })
      : vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(
        'Infill: open a file and put the cursor in a function, method or class to generate its docstring.',
      );
      return { status: 'no-editor' };
    }
    const doc = editor.document;
    const language = docLanguageOf(doc.languageId);
    if (!language) {
      const message = `Infill: docstrings are written for ${SUPPORTED_LANGUAGES_LINE}; this file is ${doc.languageId}.`;
      void vscode.window.showInformationMessage(message);
      return { status: 'unsupported', message };
    }
    const line = args.line ?? editor.selection.active.line;
    const config = settingsReader();
    const request = {
      text: doc.getText(),
      language,
      line,
      symbols: await symbolHints(doc.uri),
      pythonStyle: config('docstring.style'),
      where: vscode.workspace.asRelativePath(doc.uri),
    };
    let plan;
    try {
      plan = planDocstring(request);
    } catch (err) {
      if (!(err instanceof InfillError)) throw err;
      void vscode.window.showInformationMessage(`Infill: ${err.toLine()}.`);
      return { status: 'not-found', message: err.toLine() };
    }
    const version = doc.version;
    const settings = readSettings();
    const name = plan.definition.name;
    const backend = this.backends.main();
    this.log.info(
      `docstring: ${plan.definition.kind} ${name} at ${request.where}:${line + 1} (${plan.spec.style})${this.backends.remoteEnabled ? ' by the remote server' : ''}`,
    );
    let written;
    let aborted = false;
    try {
      written = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Infill: writing a docstring for ${name}`,
          cancellable: true,
        },
        async (_progress, token) => {
          const controller = new AbortController();
          const subscription = token.onCancellationRequested(() => {
            aborted = true;
            controller.abort();
          });
          try {
            return await writeDocstring(
              request,
              backend,
              {
                maxNewTokens: config('docstring.maxTokens'),
                fimOrder: settings.fimOrder,
                fimFamily: settings.fimFamily,
              },
              controller.signal,
            );
          } finally {
            subscription.dispose();
          }
        },
      );
    } catch (err) {
      if (aborted) return this.cancelled(name);
      const message = err instanceof Error ? err.message : String(err);
      this.log.error(`docstring: ${message}`);
      void vscode.window
        .showErrorMessage(`Infill: could not write the docstring: ${message}`, 'Show Logs')
        .then((pick) => {
          if (pick) this.log.show();
        });
      return { status: 'failed', message };
    }
    const { result, report } = written;
    if (report.stopReason === 'aborted') return this.cancelled(name);
    this.log.info(`docstring: ${tokensText(report)} (${report.stopReason}) in ${Math.round(report.totalMs)} ms`);
    if (doc.version !== version) {
      const message = 'Infill: the file changed while the docstring was being written; run Generate Docstring again.';
      void vscode.window.showInformationMessage(message);
      return { status: 'changed', message };
    }
    if (result.replaces) {
      const choice =
        args.onExisting === 'replace' || args.onExisting === 'keep' ? args.onExisting : await this.askReplace(result);
      if (choice !== 'replace') {
        this.log.info(`docstring: kept the existing docstring of ${name}`);
        return { status: 'kept', result };
      }
    }
    const edit = new vscode.WorkspaceEdit();
    const at = (p: { line: number; character: number }) => new vscode.Position(p.line, p.character);
    if (result.replaces)
      edit.replace(doc.uri, new vscode.Range(at(result.replaces.start), at(result.replaces.end)), result.docstring);
    else edit.insert(doc.uri, at(result.insertAt), result.docstring);
    if (!(await vscode.workspace.applyEdit(edit))) {
      return { status: 'failed', message: 'the editor refused the edit' };
    }
    editor.revealRange(
      new vscode.Range(at(result.insertAt), at(result.insertAt)),
      vscode.TextEditorRevealType.InCenterIfOutsideViewport,
    );
    return { status: result.replaces ? 'replaced' : 'inserted', result };
  }

  private cancelled(name: string): GenerateDocstringOutcome {
    this.log.info(`docstring: cancelled for ${name}`);
    return { status: 'cancelled' };
  }

  /** The preview: the new docstring beside the old one; Replace or Keep. */
  private async askReplace(result: DocstringResult): Promise<'replace' | 'keep'> {
    const replace: vscode.MessageItem = { title: 'Replace' };
    const keep: vscode.MessageItem = { title: 'Keep', isCloseAffordance: true };
    const pick = await vscode.window.showInformationMessage(
      `Infill: ${result.name} already has a docstring. Replace it?`,
      { modal: true, detail: `New:\n${result.docstring}\nExisting:\n${result.existing ?? ''}` },
      replace,
      keep,
    );
    return pick === replace ? 'replace' : 'keep';
  }
}

/** "Generate docstring" on a function's, method's or class's name (the light bulb, Ctrl+.). */
export class DocstringCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.RefactorRewrite];
  static readonly selector: vscode.DocumentFilter[] = DOC_LANGUAGE_IDS.map((language) => ({ language }));

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const language = docLanguageOf(document.languageId);
    if (!language) return [];
    const header = matchHeader(document.lineAt(range.start.line).text, language);
    const ch = range.start.character;
    if (!header || ch < header.nameStart || ch > header.nameEnd) return [];
    const action = new vscode.CodeAction(
      `Infill: Generate docstring for ${header.name}`,
      vscode.CodeActionKind.RefactorRewrite,
    );
    action.command = {
      command: 'infill.generateDocstring',
      title: 'Generate Docstring',
      arguments: [{ uri: document.uri.toString(), line: range.start.line } satisfies GenerateDocstringArgs],
    };
    return [action];
  }
}
