// Runs inside the VS Code extension host (extensionTestsPath). The workbench closes the page when tests end and no exit
// code comes back, so results go to the file named by INFILL_TEST_RESULTS.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface TestResult {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

export async function run(): Promise<void> {
  const out = process.env['INFILL_TEST_RESULTS'];
  // INFILL_HOST_GREP runs only the tests whose full title matches (test/host/run.ts passes the environment on).
  const grep = process.env['INFILL_HOST_GREP'];
  const mocha = new Mocha({ ui: 'bdd', timeout: 120000, color: false, ...(grep ? { grep } : {}) });
  const dir = __dirname;
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.test.js')) mocha.addFile(path.join(dir, f));
  const results: TestResult[] = [];
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }));
    runner.on('fail', (t, err: Error) =>
      results.push({
        title: t.fullTitle(),
        state: 'failed',
        durationMs: t.duration ?? 0,
        error: err.stack ?? err.message,
      }),
    );
  });
  if (out) fs.writeFileSync(out, JSON.stringify({ results }, null, 2));
  const failed = results.filter((r) => r.state === 'failed').length;
  if (failed) throw new Error(`${failed} test(s) failed`);
}
