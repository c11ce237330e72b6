import * as vscode from 'vscode';
import type { EngineClient, EngineStatus } from '../engine-client/client';
import type { SetupReport } from '../core/doctor/report';
import { CheckSetup } from './checkSetup';
import { createEngineClient } from './engineClients';
import { openReadme } from './readme';
import { SelfCheckWarning } from './selfCheckWarning';
import { Backends } from './backends';
import { registerChat } from './chat';
import { ChatEngines } from './chatModel';
import type { ChatSession } from './chatSession';
import { showActions, toggleInline } from './commands';
import { DocstringCodeActions, DocstringCommand, type GenerateDocstringArgs } from './docstring';
import { GeneratedTestsView } from './generatedTestsView';
import { GenerateTestsCommand, type GenerateTestsArgs } from './generateTests';
import { InlineCompletionProvider, recordChunk, type InlineStats } from './inlineProvider';
import { RemoteBackend } from './remote';
import { selectModel, type ModelPickView } from './selectModel';
import { ENGINE_SETTINGS, readSettings, setting } from './settings';
import { InfillStatusBar } from './statusBar';

/** What activate() returns: for tests, and for other extensions that want to know Infill's state. */
export interface InfillApi {
  activationMs: number;
  status(): EngineStatus;
  client: EngineClient;
  inlineStats(): InlineStats | undefined;
  /** The chat panel's conversation (what the webview drives), for tests. */
  chat: ChatSession;
  /** The status bar item's text and tooltip now, for tests. */
  statusBar(): { text: string; tooltip: string };
  /** The quick pick Select Model shows now, if one is open (for tests). */
  modelPick(): ModelPickView | undefined;
  /** The report Check Setup showed last (for tests). */
  setupReport(): SetupReport | undefined;
}

/** Activation stays cheap: no model, no onnxruntime here. The engine host starts and loads on first use. */
export function activate(context: vscode.ExtensionContext): InfillApi {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('Infill', { log: true });
  const shippedModel = context.asAbsolutePath('models/tiny-codellama');
  let inline: InlineCompletionProvider | undefined;
  // The remote OpenAI-compatible backend (infill.backend = openai): inline completions go to it instead of the engine.
  const remote = new RemoteBackend(context.secrets, log);
  const statusBar = new InfillStatusBar(
    () => readSettings().inlineEnabled,
    () => inline?.stats,
    () => remote.status(),
  );
  // In an untrusted workspace a workspace setting cannot point the engine at another model (restrictedConfigurations).
  const client = createEngineClient(context, log, () => readSettings().modelPath || shippedModel, {
    selfCheck: true,
    onStatus: (status) => {
      statusBar.update(status);
      if (status.state === 'loading') showLoadProgress();
      if (status.state === 'ready') selfCheckWarning.tell(status.model);
    },
  });
  const selfCheckWarning = new SelfCheckWarning(shippedModel);

  // Load progress, shown while the engine host loads the model (on first use, or after a settings change).
  let progressShown = false;
  const showLoadProgress = () => {
    if (progressShown) return;
    progressShown = true;
    void vscode.window
      .withProgress({ location: vscode.ProgressLocation.Window, title: 'Infill: loading model' }, () =>
        client.ensureLoaded().catch(() => undefined),
      )
      .then(() => {
        progressShown = false;
      });
  };

  let modelPick: ModelPickView | undefined;
  let checkSetup: CheckSetup;
  const chatEngines = new ChatEngines(client, shippedModel, (modelDir) =>
    createEngineClient(context, log, modelDir, { logPrefix: 'chat' }),
  );
  const backends = new Backends(client, chatEngines, remote);
  const docstrings = new DocstringCommand(backends, log);
  const testsView = new GeneratedTestsView();
  const tests = new GenerateTestsCommand(context, backends, log, testsView);
  context.subscriptions.push(
    log,
    statusBar,
    { dispose: () => client.dispose() },
    remote,
    chatEngines,
    remote.activity.onDidChange(() => statusBar.refresh()),
    vscode.languages.registerInlineCompletionItemProvider(
      { pattern: '**' },
      (inline = new InlineCompletionProvider(() => backends.main(), log)),
    ),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!inline || !e.contentChanges.length) return;
      if (e.document === vscode.window.activeTextEditor?.document) inline.debounce.keystroke();
      recordChunk(inline.recent, e.document, e.contentChanges[0]!.range.start.line);
    }),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (inline && editor) recordChunk(inline.recent, editor.document, editor.selection.active.line);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => inline?.recent.forget(vscode.workspace.asRelativePath(d.uri))),
    vscode.commands.registerCommand('infill.triggerInline', () =>
      vscode.commands.executeCommand('editor.action.inlineSuggest.trigger'),
    ),
    vscode.commands.registerCommand('infill.inlineAccepted', () => {
      if (inline) inline.stats.accepted++;
      statusBar.update(client.current);
    }),
    vscode.commands.registerCommand('infill.toggleInline', toggleInline),
    vscode.commands.registerCommand('infill.generateDocstring', (args?: GenerateDocstringArgs) => docstrings.run(args)),
    vscode.languages.registerCodeActionsProvider(DocstringCodeActions.selector, new DocstringCodeActions(), {
      providedCodeActionKinds: DocstringCodeActions.kinds,
    }),
    testsView,
    vscode.window.registerTreeDataProvider('infill.generatedTests', testsView),
    tests,
    // Needs a trusted workspace (it runs model-written code): the command checks and says so.
    vscode.commands.registerCommand('infill.generateTests', (args?: GenerateTestsArgs) => tests.run(args)),
    vscode.commands.registerCommand('infill.selectModel', () =>
      selectModel(context, log, shippedModel, (view) => {
        modelPick = view;
      }),
    ),
    vscode.commands.registerCommand('infill.setRemoteApiKey', () => remote.setApiKey()),
    vscode.commands.registerCommand('infill.showLogs', () => log.show()),
    (checkSetup = new CheckSetup(client, log)),
    vscode.commands.registerCommand('infill.checkSetup', () => checkSetup.run()),
    vscode.commands.registerCommand('infill.openReadme', (section?: string) => openReadme(context, section)),
    vscode.commands.registerCommand('infill.showActions', () => showActions(client)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (ENGINE_SETTINGS.some((s) => e.affectsConfiguration(s))) client.restart('settings changed');
      if (
        e.affectsConfiguration('infill.backend') ||
        e.affectsConfiguration('infill.remote') ||
        ENGINE_SETTINGS.some((s) => e.affectsConfiguration(s))
      ) {
        inline?.clearCache();
        if (remote.enabled)
          log.info(`backend: OpenAI-compatible server at ${setting('remote.baseUrl')} (code is sent there)`);
      }
      if (e.affectsConfiguration('infill.inline.enabled')) statusBar.update(client.current);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() =>
      client.restart('workspace trusted: workspace model settings now apply'),
    ),
  );

  const chat = registerChat(context, backends, chatEngines, log);

  const activationMs = performance.now() - t0;
  log.info(`Infill activated in ${activationMs.toFixed(1)} ms`);
  return {
    activationMs,
    status: () => client.current,
    client,
    inlineStats: () => inline?.stats,
    chat,
    statusBar: () => statusBar.shown,
    modelPick: () => modelPick,
    setupReport: () => checkSetup.lastReport,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
