// Infill: Generate Docstring inside a real VS Code extension host, with the real engine host and the shipped model.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GenerateDocstringOutcome } from '../../../src/vscode/docstring';

/** A file on disk in the workspace (or a temp folder when none is open). */
async function openFile(name: string, content: string): Promise<vscode.TextEditor> {
  const folder =
    vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? fs.mkdtempSync(path.join(os.tmpdir(), 'infill-doc-'));
  const file = path.join(folder, name);
  fs.writeFileSync(file, content);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(doc);
}

const SOURCE = 'import math\n\n\ndef hypot(a, b):\n    return math.sqrt(a * a + b * b)\n';

describe('Infill: Generate Docstring in a real VS Code extension host', () => {
  it('writes a docstring for the function at the cursor as one edit; one undo removes it', async () => {
    const editor = await openFile('docstring_host.py', SOURCE);
    editor.selection = new vscode.Selection(4, 6, 4, 6); // inside the body
    const outcome = await vscode.commands.executeCommand<GenerateDocstringOutcome>('infill.generateDocstring');
    assert.equal(outcome.status, 'inserted', JSON.stringify(outcome));
    const lines = editor.document.getText().split('\n');
    assert.equal(lines[3], 'def hypot(a, b):');
    assert.match(lines[4]!, /^ {4}"""/, 'the docstring follows the def line');
    const text = editor.document.getText();
    assert.match(text, /^ {8}a\b.*:/m);
    assert.match(text, /^ {8}b\b.*:/m);
    assert.ok(text.endsWith('    return math.sqrt(a * a + b * b)\n'), 'the body is untouched');
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), SOURCE, 'one undo restores the file');
  });

  it("offers a code action on the function's name (and not elsewhere)", async () => {
    const editor = await openFile('docstring_action.py', SOURCE);
    const onName = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      new vscode.Range(3, 6, 3, 6),
    );
    const action = onName.find((a) => a.title === 'Infill: Generate docstring for hypot');
    assert.ok(action, `actions: ${onName.map((a) => a.title).join(', ')}`);
    assert.equal(action.command?.command, 'infill.generateDocstring');
    const elsewhere = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      new vscode.Range(0, 2, 0, 2),
    );
    assert.ok(!elsewhere.some((a) => a.title.startsWith('Infill: Generate docstring')));
  });

  it('an existing docstring: kept or replaced as chosen; a TypeScript JSDoc goes above the function', async () => {
    const py = 'def f(a):\n    """Old."""\n    return a\n';
    const editor = await openFile('docstring_existing.py', py);
    const kept = await vscode.commands.executeCommand<GenerateDocstringOutcome>('infill.generateDocstring', {
      uri: editor.document.uri.toString(),
      line: 0,
      onExisting: 'keep',
    });
    assert.equal(kept.status, 'kept');
    assert.equal(editor.document.getText(), py);
    const replaced = await vscode.commands.executeCommand<GenerateDocstringOutcome>('infill.generateDocstring', {
      uri: editor.document.uri.toString(),
      line: 0,
      onExisting: 'replace',
    });
    assert.equal(replaced.status, 'replaced');
    assert.doesNotMatch(editor.document.getText(), /Old\./);
    assert.match(editor.document.getText(), /^def f\(a\):\n {4}"""[\s\S]*"""\n {4}return a\n$/);

    const ts = await openFile(
      'docstring_host.ts',
      'export function area(width: number, height: number): number {\n  return width * height;\n}\n',
    );
    ts.selection = new vscode.Selection(1, 2, 1, 2);
    const out = await vscode.commands.executeCommand<GenerateDocstringOutcome>('infill.generateDocstring');
    assert.equal(out.status, 'inserted', JSON.stringify(out));
    assert.match(ts.document.getText(), /^\/\*\*\n( \*.*\n)+ \*\/\nexport function area/);
    assert.match(ts.document.getText(), /@param width[\s\S]*@param height/);
  });

  it('says clearly when the cursor is not in a function', async () => {
    const editor = await openFile('docstring_none.py', 'x = 1\ny = 2\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    const out = await vscode.commands.executeCommand<GenerateDocstringOutcome>('infill.generateDocstring');
    assert.equal(out.status, 'not-found');
    assert.ok(out.status === 'not-found' && /not in a function, method or class/.test(out.message ?? ''));
    assert.equal(editor.document.getText(), 'x = 1\ny = 2\n');
  });
});
