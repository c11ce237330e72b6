// Infill: Generate Tests inside a real VS Code extension host: the real engine host with the shipped model writes the
// candidates, the real sandbox runs them. The shipped model is tiny and its tests rarely pass, so the command either
// writes a test file with the kept tests only, or says plainly that none passed; both are checked for what they are.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GenerateTestsOutcome } from '../../../src/vscode/generateTests';

const SOURCE = 'def add(a, b):\n    """Return the sum of a and b."""\n    return a + b\n';

function folder(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? fs.mkdtempSync(path.join(os.tmpdir(), 'infill-tests-'));
}

describe('Infill: Generate Tests in a real VS Code extension host', function () {
  this.timeout(300000);
  const config = () => vscode.workspace.getConfiguration('infill');

  before(async () => {
    // No modal in an unattended run: the announcement is a setting away.
    await config().update('tests.confirmExecution', false, vscode.ConfigurationTarget.Global);
    await config().update('tests.samples', 2, vscode.ConfigurationTarget.Global);
    await config().update('tests.runs', 2, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    for (const key of ['tests.confirmExecution', 'tests.samples', 'tests.runs'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  it('writes only kept tests to test_<module>.py, or says that none passed', async () => {
    const file = path.join(folder(), 'gen_tests_host.py');
    fs.writeFileSync(file, SOURCE);
    const testFile = path.join(folder(), 'test_gen_tests_host.py');
    fs.rmSync(testFile, { force: true });
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(2, 4, 2, 4);
    const started = Date.now();
    const outcome = await vscode.commands.executeCommand<GenerateTestsOutcome>('infill.generateTests');
    assert.ok(outcome.status === 'created' || outcome.status === 'none-kept', JSON.stringify(outcome).slice(0, 2000));
    const r = outcome.result;
    assert.equal(r.samples, 2);
    assert.equal(r.runs, 2);
    assert.ok(r.generated >= 2, 'each completion-prompted sample gives at least one candidate');
    assert.ok(
      r.kept <= r.addsCoverage &&
        r.addsCoverage <= r.reliable &&
        r.reliable <= r.passed &&
        r.passed <= r.built &&
        r.built <= r.generated,
      JSON.stringify(r),
    );
    assert.equal(r.candidates.length, r.generated);
    assert.equal(outcome.testFile, testFile);
    assert.equal(doc.getText(), SOURCE, 'the module is untouched');
    if (outcome.status === 'none-kept') {
      assert.equal(r.kept, 0);
      assert.match(outcome.message, /no generated test for add was kept \(\d+ generated, \d+ built, \d+ passed/);
      assert.ok(!fs.existsSync(testFile), 'no file when nothing was kept');
    } else {
      assert.ok(r.kept > 0);
      const written = fs.readFileSync(testFile, 'utf8');
      assert.equal(written, r.testFileText);
      for (const c of r.candidates) {
        if (c.status === 'kept') assert.ok(written.includes(c.code));
        else if (c.status !== 'duplicate') assert.ok(!written.includes(c.code), `dropped ${c.name} is not in the file`);
      }
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, testFile, 'the test file is opened');
    }
    console.log(
      `generate tests in host: ${outcome.status}, ${r.generated} generated / ${r.built} built / ${r.passed} passed / ${r.kept} kept in ${Date.now() - started} ms`,
    );
  });

  it('an existing test file is left alone when the user keeps it; outside a function and other languages are clear messages', async () => {
    const file = path.join(folder(), 'gen_tests_keep.py');
    fs.writeFileSync(file, SOURCE);
    const testFile = path.join(folder(), 'test_gen_tests_keep.py');
    fs.writeFileSync(testFile, '# my tests\n');
    const outcome = await vscode.commands.executeCommand<GenerateTestsOutcome>('infill.generateTests', {
      uri: vscode.Uri.file(file).toString(),
      line: 2,
      onExisting: 'keep',
    });
    assert.ok(outcome.status === 'kept-existing' || outcome.status === 'none-kept', outcome.status);
    assert.equal(fs.readFileSync(testFile, 'utf8'), '# my tests\n');

    const none = path.join(folder(), 'gen_tests_none.py');
    fs.writeFileSync(none, 'x = 1\n');
    const notFound = await vscode.commands.executeCommand<GenerateTestsOutcome>('infill.generateTests', {
      uri: vscode.Uri.file(none).toString(),
      line: 0,
    });
    assert.equal(notFound.status, 'not-found');
    assert.match(notFound.status === 'not-found' ? (notFound.message ?? '') : '', /Line 1 is not in a function/);

    const md = path.join(folder(), 'gen_tests_notes.md');
    fs.writeFileSync(md, '# notes\n');
    const unsupported = await vscode.commands.executeCommand<GenerateTestsOutcome>('infill.generateTests', {
      uri: vscode.Uri.file(md).toString(),
      line: 0,
    });
    assert.equal(unsupported.status, 'unsupported');
  });
});
