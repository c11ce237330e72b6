// The same in-host suite on desktop VS Code through @vscode/test-electron, for machines that can download VS Code
// (this one cannot: use npm test, which runs the suite in the VS Code server offline). Usage: npm run test:desktop
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSuite } from './buildSuite';

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '..', '..');
  const extensionTestsPath = await buildSuite();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'infill-desktop-'));
  fs.copyFileSync(path.join(repo, 'examples', 'demo.py'), path.join(workspace, 'demo.py'));
  fs.mkdirSync(path.join(repo, 'test-results'), { recursive: true });
  await runTests({
    extensionDevelopmentPath: repo,
    extensionTestsPath,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { INFILL_TEST_RESULTS: path.join(repo, 'test-results', 'desktop-results.json') },
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
