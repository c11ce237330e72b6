import * as vscode from 'vscode';

/** Opens the extension's README at a section (the links of Check Setup and of error messages). */
export async function openReadme(context: vscode.ExtensionContext, section?: string): Promise<void> {
  const uri = vscode.Uri.joinPath(context.extensionUri, 'README.md');
  const doc = await vscode.workspace.openTextDocument(uri);
  const line = section
    ? Math.max(
        0,
        doc
          .getText()
          .split('\n')
          .findIndex((l) => /^#{2,3} /.test(l) && l.replace(/^#+ /, '').trim() === section),
      )
    : 0;
  const at = new vscode.Position(line, 0);
  await vscode.window.showTextDocument(doc, {
    preview: true,
    selection: new vscode.Range(at, at),
  });
  vscode.window.activeTextEditor?.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.AtTop);
}
