import * as path from 'node:path';
import * as vscode from 'vscode';
import { InfillError } from '../core/errors';
import {
  appendInsertion,
  coverageSummary,
  DEFAULT_TEST_OPTIONS,
  generateTests,
  planTests,
  siblingSources,
  testLanguageOfId,
  type FunctionHint,
  type GenerateTestsResult,
} from '../core/harness';
import type { Backends } from './backends';
import type { GeneratedTestsView } from './generatedTestsView';
import { readRemoteSettings } from './remote';
import { readSandboxSettings, settingsReader } from './settings';

/** Arguments of infill.generateTests (tests and code actions pass a place and a choice for an existing test file). */
export interface GenerateTestsArgs {
  uri?: string;
  /** 0-based line. */
  line?: number;
  /** What to do when the test file exists: ask, append the kept tests, replace the file, or leave it. */
  onExisting?: 'ask' | 'append' | 'replace' | 'keep';
  /**
   * With `onExisting: 'ask'`: the answer to the question, given in advance instead of by the modal dialog (for tests and
   * automation, where no one can click it). The outcome's `asked` says the question came up.
   */
  answer?: 'append' | 'replace' | 'keep';
}

export type GenerateTestsOutcome =
  /** `asked`: the user was asked what to do with the existing test file (and answered append or replace). */
  | { status: 'created' | 'appended' | 'replaced'; result: GenerateTestsResult; testFile: string; asked: boolean }
  | { status: 'kept-existing'; result: GenerateTestsResult; testFile: string; message: string; asked: boolean }
  | { status: 'none-kept'; result: GenerateTestsResult; testFile: string; message: string }
  | {
      status: 'untrusted' | 'declined' | 'cancelled' | 'no-editor' | 'unsupported' | 'not-found' | 'failed';
      message?: string;
    };

const ACCEPTED_KEY = 'infill.tests.executionAccepted';

/** The editor's document symbols as hints for the locator (functions, methods, classes). */
async function functionHints(uri: vscode.Uri): Promise<FunctionHint[]> {
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
    const kinds: Partial<Record<vscode.SymbolKind, FunctionHint['kind']>> = {
      [vscode.SymbolKind.Function]: 'function',
      [vscode.SymbolKind.Method]: 'method',
      [vscode.SymbolKind.Class]: 'class',
    };
    const out: FunctionHint[] = [];
    const visit = (s: vscode.DocumentSymbol | vscode.SymbolInformation) => {
      const kind = kinds[s.kind];
      const range = 'range' in s ? s.range : s.location.range;
      if (kind) out.push({ name: s.name, kind, startLine: range.start.line, endLine: range.end.line });
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
 * Infill: Generate Tests. The model (in the engine host, through the protocol's generate) writes candidate tests; the
 * sandbox (subprocesses started from here, so the extension host only waits) runs each against the real code; the
 * kept tests go to the conventional test file as ONE undoable edit, and the Generated Tests view shows every candidate.
 */
export class GenerateTestsCommand {
  private running: AbortController | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    /** Who writes the tests (Backends.main): the engine host, or the remote server's chat API when infill.backend is openai. */
    private readonly backends: Backends,
    private readonly log: vscode.LogOutputChannel,
    private readonly view: GeneratedTestsView,
  ) {}

  async run(args: GenerateTestsArgs = {}): Promise<GenerateTestsOutcome> {
    if (!vscode.workspace.isTrusted) {
      const message = 'Infill: Generate Tests runs generated code, which needs a trusted workspace.';
      void vscode.window.showWarningMessage(message);
      return { status: 'untrusted', message };
    }
    const editor = args.uri
      ? await vscode.window.showTextDocument(vscode.Uri.parse(args.uri), { preserveFocus: false })
      : vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(
        'Infill: open a Python, JavaScript or TypeScript file and put the cursor in a function to generate its tests.',
      );
      return { status: 'no-editor' };
    }
    const doc = editor.document;
    const language = testLanguageOfId(doc.languageId);
    if (!language || doc.uri.scheme !== 'file') {
      const message = `Infill: tests are generated for Python, JavaScript and TypeScript files on disk; this is ${doc.languageId}${doc.uri.scheme !== 'file' ? ` (${doc.uri.scheme})` : ''}.`;
      void vscode.window.showInformationMessage(message);
      return { status: 'unsupported', message };
    }
    const request = {
      modulePath: doc.uri.fsPath,
      text: doc.getText(),
      line: args.line ?? editor.selection.active.line,
      language,
      hints: await functionHints(doc.uri),
      siblings: siblingSources(doc.uri.fsPath, language),
    };
    let name: string;
    try {
      const plan = planTests(request);
      name = plan.fn.className ? `${plan.fn.className}.${plan.fn.name}` : plan.fn.name;
    } catch (err) {
      if (!(err instanceof InfillError)) throw err;
      void vscode.window.showInformationMessage(`Infill: ${err.toLine()}.`);
      return { status: 'not-found', message: err.toLine() };
    }
    if (!(await this.confirmExecution())) return { status: 'declined' };

    const config = settingsReader();
    const options = {
      ...DEFAULT_TEST_OPTIONS,
      samples: config('tests.samples'),
      runs: config('tests.runs'),
      coverage: config('tests.coverageFilter'),
      ...readSandboxSettings(),
    };
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    this.log.info(
      `tests: ${name} in ${vscode.workspace.asRelativePath(doc.uri)} (${options.samples} samples, ${options.runs} runs, sandbox limits ${options.timeoutMs} ms, ${options.memoryMb} MiB)`,
    );
    const backend = this.backends.main();
    if (this.backends.remoteEnabled)
      this.log.info(
        `tests: written by the remote server ${readRemoteSettings().baseUrl} (model ${readRemoteSettings().model}); the module's code is sent there`,
      );
    let result: GenerateTestsResult;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Infill: tests for ${name}`, cancellable: true },
        async (progress, token) => {
          const subscription = token.onCancellationRequested(() => controller.abort());
          let reported = 0;
          try {
            return await generateTests(request, { backend }, options, controller.signal, (p) => {
              // Writing is the first half of the bar, running the second.
              const at = (p.stage === 'generating' ? 0 : 50) + (p.total ? (50 * p.done) / p.total : 0);
              progress.report({ message: p.message, increment: Math.max(0, at - reported) });
              reported = Math.max(reported, at);
            });
          } finally {
            subscription.dispose();
          }
        },
      );
    } catch (err) {
      if (controller.signal.aborted || (err instanceof InfillError && err.code === 'cancelled')) {
        this.log.info(`tests: cancelled for ${name}`);
        return { status: 'cancelled' };
      }
      const message = err instanceof Error ? err.message : String(err);
      this.log.error(`tests: ${message}`);
      void vscode.window.showErrorMessage(`Infill: could not generate tests: ${message}`, 'Show Logs').then((pick) => {
        if (pick) this.log.show();
      });
      return { status: 'failed', message };
    } finally {
      if (this.running === controller) this.running = undefined;
    }

    const target = vscode.Uri.file(result.testFile);
    const rel = vscode.workspace.asRelativePath(target);
    this.view.show(result, rel);
    // The view joins Infill's container once there is something to show (the chat keeps the room until then).
    await vscode.commands.executeCommand('setContext', 'infill.generatedTests.shown', true);
    const counts =
      `${result.generated} generated, ${result.built} built, ${result.passed} passed, ${result.reliable} passed ${result.runs} runs, ` +
      `${result.coverage.measured ? `${result.addsCoverage} added coverage, ` : ''}${result.kept} kept`;
    this.log.info(
      `tests: ${name}: ${counts}; ${coverageSummary(result, path.basename(doc.uri.fsPath))}; sandbox: ${result.sandbox.runner}${result.sandbox.isolationNote ? ` (${result.sandbox.isolationNote})` : ''}`,
    );
    for (const c of result.candidates)
      this.log.info(
        `tests:   #${c.index + 1} ${c.name}: ${c.status}${c.detail && c.status !== 'kept' ? ` (${c.detail.split('\n').pop() ?? ''})` : ''}`,
      );
    if (!result.testFileText) {
      const message = `Infill: no generated test for ${name} was kept (${counts}). The Generated Tests view says why each was dropped.`;
      void vscode.window.showInformationMessage(message, 'Show View').then((pick) => {
        if (pick) void vscode.commands.executeCommand('infill.generatedTests.focus');
      });
      return { status: 'none-kept', result, testFile: result.testFile, message };
    }
    return this.write(result, target, rel, args.onExisting ?? 'ask', args.answer, counts);
  }

  /** The kept tests into the test file: a new file, or (after asking) appended to or replacing an existing one; one edit. */
  private async write(
    result: GenerateTestsResult,
    target: vscode.Uri,
    rel: string,
    onExisting: NonNullable<GenerateTestsArgs['onExisting']>,
    answer: GenerateTestsArgs['answer'],
    counts: string,
  ): Promise<GenerateTestsOutcome> {
    const text = result.testFileText!;
    let existing: vscode.TextDocument | undefined;
    try {
      await vscode.workspace.fs.stat(target);
      existing = await vscode.workspace.openTextDocument(target);
    } catch {
      existing = undefined;
    }
    let choice: 'create' | 'append' | 'replace' | 'keep' = 'create';
    const asked = existing !== undefined && onExisting === 'ask';
    if (existing) {
      choice = asked ? await this.askExisting(rel, result.kept, answer) : (onExisting as 'append' | 'replace' | 'keep');
      this.log.info(
        `tests: ${rel} exists: ${asked ? `asked, the answer was ${choice}` : `${choice} (as the command was told)`}`,
      );
      if (choice === 'keep') {
        const message = `Infill: ${rel} was left as it is; the ${result.kept} kept tests are in the Generated Tests view.`;
        return { status: 'kept-existing', result, testFile: result.testFile, message, asked };
      }
    }
    const edit = new vscode.WorkspaceEdit();
    const metadata = { label: `Infill: generated tests for ${result.function.name}`, needsConfirmation: false };
    if (!existing) {
      edit.createFile(target, { contents: new TextEncoder().encode(text) }, metadata);
    } else if (choice === 'append') {
      // At the end, or (Python) before a closing `if __name__ == '__main__':` block; names it defines are not reused.
      const insertion = appendInsertion(existing.getText(), text, result.language);
      edit.insert(target, existing.positionAt(insertion.at), insertion.text, metadata);
    } else {
      edit.replace(
        target,
        new vscode.Range(new vscode.Position(0, 0), existing.lineAt(existing.lineCount - 1).range.end),
        text,
        metadata,
      );
    }
    if (!(await vscode.workspace.applyEdit(edit))) {
      return { status: 'failed', message: `the editor refused to write ${rel}` };
    }
    await vscode.window.showTextDocument(target, { preview: false });
    const status = !existing ? 'created' : choice === 'append' ? 'appended' : 'replaced';
    void vscode.window.showInformationMessage(
      `Infill: ${result.kept} test${result.kept === 1 ? '' : 's'} ${status === 'created' ? 'written to' : status === 'appended' ? 'appended to' : 'replaced'} ${rel} (${counts}).`,
    );
    this.log.info(`tests: ${status} ${rel}`);
    return { status, result, testFile: result.testFile, asked };
  }

  /** The modal question about an existing test file (or its answer given in advance); dismissing it keeps the file. */
  private async askExisting(
    rel: string,
    kept: number,
    answer: GenerateTestsArgs['answer'],
  ): Promise<'append' | 'replace' | 'keep'> {
    if (answer) return answer;
    const append: vscode.MessageItem = { title: 'Append' };
    const replace: vscode.MessageItem = { title: 'Replace' };
    const keep: vscode.MessageItem = { title: 'Keep Existing', isCloseAffordance: true };
    const pick = await vscode.window.showWarningMessage(
      `Infill: ${rel} exists. Add the ${kept} kept test${kept === 1 ? '' : 's'} to it, or replace it?`,
      { modal: true, detail: 'Either way it is one edit: Undo takes it back.' },
      append,
      replace,
      keep,
    );
    return pick === append ? 'append' : pick === replace ? 'replace' : 'keep';
  }

  /** Running model-written code is announced: a modal the first time (remembered), unless infill.tests.confirmExecution is off. */
  private async confirmExecution(): Promise<boolean> {
    const config = settingsReader();
    if (!config('tests.confirmExecution') || this.context.globalState.get<boolean>(ACCEPTED_KEY)) return true;
    const run: vscode.MessageItem = { title: 'Run Generated Tests' };
    const always: vscode.MessageItem = { title: "Run, Don't Ask Again" };
    const pick = await vscode.window.showWarningMessage(
      'Infill will execute code written by the model: each candidate test runs against your file.',
      {
        modal: true,
        detail:
          'Each run happens in a temporary folder with a time limit, a memory limit and no network where the system allows it ' +
          '(the Infill log says which); it is not a virtual machine. Only the tests that pass are written to your workspace. ' +
          'The setting infill.tests.confirmExecution turns this question off.',
      },
      run,
      always,
    );
    if (pick === always) await this.context.globalState.update(ACCEPTED_KEY, true);
    return pick === run || pick === always;
  }

  dispose(): void {
    this.running?.abort();
  }
}
