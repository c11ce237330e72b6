// Integration tests inside a real VS Code extension host, with the real engine host process and the shipped model.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InfillApi } from '../../../src/vscode/extension';

const EXTENSION_ID = 'infill.infill';

async function api(): Promise<InfillApi> {
  const ext = vscode.extensions.getExtension<InfillApi>(EXTENSION_ID);
  assert.ok(ext, 'the extension is installed');
  return ext.isActive ? ext.exports : ext.activate();
}

const until = async (cond: () => boolean | Promise<boolean>, ms = 60000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('Infill in a real VS Code extension host', () => {
  it('activates cheaply on startup, before any model is loaded', async () => {
    const infill = await api();
    const resultsDir = process.env['INFILL_TEST_RESULTS']
      ? path.dirname(process.env['INFILL_TEST_RESULTS'])
      : undefined;
    if (resultsDir)
      fs.writeFileSync(path.join(resultsDir, 'activation.json'), JSON.stringify({ activationMs: infill.activationMs }));
    assert.ok(infill.activationMs > 0);
    assert.ok(['stopped', 'starting', 'loading', 'ready'].includes(infill.status().state));
  });

  it('registers every command with its exact title', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const manifest = ext.packageJSON as {
      contributes: { commands: { command: string; title: string; category: string }[] };
    };
    const titles = manifest.contributes.commands.map((c) => `${c.category}: ${c.title}`);
    for (const t of [
      'Infill: Toggle Inline Completions',
      'Infill: Generate Docstring',
      'Infill: Generate Tests',
      'Infill: Open Chat',
      'Infill: Select Model',
      'Infill: Check Setup',
      'Infill: Show Logs',
    ])
      assert.ok(titles.includes(t), t);
    const registered = await vscode.commands.getCommands(true);
    for (const c of manifest.contributes.commands) assert.ok(registered.includes(c.command), c.command);
  });

  it('gives ghost text from the shipped model, and Tab (commit) inserts it as one undoable edit', async () => {
    const infill = await api();
    const doc = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'def mean(values):\n    total = 0\n    for value in values:\n        \n    return total / len(values)\n',
    });
    const editor = await vscode.window.showTextDocument(doc);
    const before = doc.getText();
    editor.selection = new vscode.Selection(3, 8, 3, 8);
    let changed = false;
    await until(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await new Promise((r) => setTimeout(r, 700));
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      changed = doc.getText() !== before;
      return changed;
    }, 90000);
    assert.ok(changed);
    assert.equal(infill.status().state, 'ready');
    assert.ok(infill.status().model?.name);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), before, 'one undo restores the document');
  });

  it('200 keystrokes at 20 ms: no error, never two generations at once, the extension host stays responsive', async () => {
    const infill = await api();
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: '' });
    await vscode.window.showTextDocument(doc);
    const source =
      'def mean(values):\n    total = 0\n    for value in values:\n        total += value\n    return total / len(values)\n\n\nclass Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n';
    const errorsBefore = infill.inlineStats()?.errors ?? 0;
    const lags: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      lags.push(now - last - 10);
      last = now;
    }, 10);
    try {
      for (let i = 0; i < 200; i++) {
        await vscode.commands.executeCommand('type', { text: source[i % source.length] });
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      clearInterval(timer);
    }
    const stats = await infill.client.request('stats', {});
    const sorted = [...lags].sort((a, b) => a - b);
    const lag = {
      p50: sorted[Math.floor(sorted.length / 2)]!,
      p95: sorted[Math.floor(sorted.length * 0.95)]!,
      max: sorted[sorted.length - 1]!,
    };
    const resultsDir = process.env['INFILL_TEST_RESULTS']
      ? path.dirname(process.env['INFILL_TEST_RESULTS'])
      : undefined;
    if (resultsDir)
      fs.writeFileSync(
        path.join(resultsDir, 'keystrokes.json'),
        JSON.stringify({ eventLoopLagMs: lag, engine: stats, inline: infill.inlineStats() }, null, 2),
      );
    assert.ok(doc.getText().length >= 200, 'every keystroke landed (auto-indent and auto-closing add more)');
    assert.equal(infill.inlineStats()?.errors ?? 0, errorsBefore, 'no failed completion request');
    assert.equal(stats.maxConcurrent, 1, 'never two generations at once');
    assert.ok(stats.generations > 0, 'completions ran while typing');
    assert.ok(lag.p95 < 100, `event-loop lag p95 ${lag.p95.toFixed(1)} ms`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('partial accept: the next word of the suggestion, then the rest', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'def mean(values):\n    total = 0\n    for value in values:\n        \n    return total / len(values)\n',
    });
    const editor = await vscode.window.showTextDocument(doc);
    const at = new vscode.Position(3, 8);
    const suggestion = async (accept: string) => {
      const before = doc.getText();
      editor.selection = new vscode.Selection(at, at);
      let added = '';
      await until(async () => {
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        await new Promise((r) => setTimeout(r, 700));
        await vscode.commands.executeCommand(accept);
        added = doc.getText().slice(doc.offsetAt(at), doc.offsetAt(editor.selection.active));
        return doc.getText() !== before;
      }, 60000);
      return added;
    };
    const full = await suggestion('editor.action.inlineSuggest.commit');
    await vscode.commands.executeCommand('undo');
    const word = await suggestion('editor.action.inlineSuggest.acceptNextWord');
    assert.ok(full.startsWith(word), `${JSON.stringify(word)} starts ${JSON.stringify(full)}`);
    if (/\W\w/.test(full.trim())) assert.ok(word.length < full.length, 'only the next word');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('the editor and `infill complete` give the same answer for the same document and position', async () => {
    const config = vscode.workspace.getConfiguration('infill');
    await config.update('inline.otherFilesChars', 0, vscode.ConfigurationTarget.Global); // the CLI sees one file only
    try {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'infill-same-')), 'stack.py');
      fs.writeFileSync(
        file,
        'class Stack:\n    def __init__(self):\n        self.items = []\n\n    def push(self, item):\n        self.items.append(item)\n\n    def pop(self):\n        return \n',
      );
      const doc = await vscode.workspace.openTextDocument(file);
      const editor = await vscode.window.showTextDocument(doc);
      const at = new vscode.Position(8, 15);
      const before = doc.getText();
      editor.selection = new vscode.Selection(at, at);
      await until(async () => {
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        await new Promise((r) => setTimeout(r, 700));
        await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
        return doc.getText() !== before;
      }, 60000);
      const inserted = doc.getText().slice(doc.offsetAt(at), doc.offsetAt(editor.selection.active));
      const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
      const r = spawnSync(process.execPath, [cli, 'complete', `${file}:9:16`, '--json'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(inserted, (JSON.parse(r.stdout) as { completion: string }).completion);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await config.update('inline.otherFilesChars', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it("Check Setup reports this machine, the engine's options, the test runtimes and the loaded model's self-check", async () => {
    const infill = await api();
    await vscode.commands.executeCommand('infill.checkSetup');
    const report = infill.setupReport();
    assert.ok(report, 'a report was shown');
    const labels = report.checks.map((c) => c.label);
    for (const want of [
      'Memory',
      'CPU',
      'Provider: CPU',
      'IO binding (koffi)',
      'Sandbox isolation',
      'Python',
      'Node.js',
    ])
      assert.ok(labels.includes(want), `${want} in ${labels.join(', ')}`);
    assert.equal(report.hardware.memory.totalBytes, os.totalmem());
    const model = report.checks.find((c) => c.section === 'Model');
    assert.ok(model && /tiny-codellama/.test(model.label), JSON.stringify(model));
    // The self-check ran at load, in the engine host.
    const check = infill.status().model?.selfCheck;
    assert.ok(check?.probe, 'the load ran the FIM probe');
    assert.equal(model.status, check.ok ? 'ok' : 'warn');
    if (!check.ok) {
      assert.equal(model.fix?.link?.kind, 'command');
      assert.match(infill.statusBar().tooltip.replace(/&nbsp;/g, ' '), /FIM self-check: a one-line middle/);
    }
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Toggle Inline Completions flips the setting', async () => {
    const config = () => vscode.workspace.getConfiguration('infill');
    const was = config().get<boolean>('inline.enabled');
    await vscode.commands.executeCommand('infill.toggleInline');
    assert.equal(config().get<boolean>('inline.enabled'), !was);
    await vscode.commands.executeCommand('infill.toggleInline');
    assert.equal(config().get<boolean>('inline.enabled'), was);
  });

  it('a bad model path is reported, and fixing it restarts the engine', async () => {
    const infill = await api();
    const config = vscode.workspace.getConfiguration('infill');
    await config.update('model.path', '/no/such/model', vscode.ConfigurationTarget.Global);
    try {
      await assert.rejects(
        infill.client.request('complete', {
          prefix: 'x = ',
          suffix: '',
          maxNewTokens: 2,
          fimOrder: 'auto',
          fimFamily: 'auto',
          kind: 'test',
        }),
        /does not exist/,
      );
      assert.equal(infill.status().state, 'error');
    } finally {
      await config.update('model.path', undefined, vscode.ConfigurationTarget.Global);
    }
    const r = await infill.client.request('complete', {
      prefix: 'x = ',
      suffix: '',
      maxNewTokens: 2,
      fimOrder: 'auto',
      fimFamily: 'auto',
      kind: 'test',
    });
    assert.equal(typeof r.text, 'string');
    assert.equal(infill.status().state, 'ready');
  });

  it('Open Chat shows the chat view', async () => {
    await vscode.commands.executeCommand('infill.openChat');
  });
});
