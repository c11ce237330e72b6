// Browser end-to-end step for Infill: Generate Tests (called from test/host/run.ts): the command palette, the modal that
// announces code execution (answered as a person would), the progress, then the outcome and the Generated Tests view.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { readmeShot } from './readmeShots';

const SOURCE = 'def add(a, b):\n    """Return the sum of a and b."""\n    return a + b\n';

export function generateTestsSteps({
  page,
  step,
  results,
  workspace,
}: {
  page: Page;
  step: (name: string, f: () => Promise<void>) => void;
  results: string;
  workspace: string;
}): void {
  fs.writeFileSync(path.join(workspace, 'adder.py'), SOURCE);
  step(
    'Infill: Generate Tests asks before running model-written code, then reports in the Generated Tests view',
    async () => {
      await page.keyboard.press('Control+P');
      await page.keyboard.type('adder.py', { delay: 30 });
      await page.waitForTimeout(800);
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: 'adder.py' }).first().waitFor({ timeout: 30000 });
      await page.waitForTimeout(800);
      await page.keyboard.press('Control+P');
      await page.keyboard.type(':3', { delay: 30 });
      await page.keyboard.press('Enter');
      await page.keyboard.press('F1');
      await page.keyboard.type('Infill: Generate Tests', { delay: 20 });
      await page.waitForTimeout(500);
      await page.keyboard.press('Enter');
      // The first run announces that generated code will execute: a modal dialog.
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 30000 });
      const said = await dialog.innerText();
      if (!/execute code written by the model/.test(said)) throw new Error(`unexpected dialog: ${said}`);
      await page.screenshot({ path: path.join(results, 'e2e-tests-confirm.png') });
      await dialog.getByRole('button', { name: 'Run Generated Tests' }).click();
      await page.waitForTimeout(3000);
      await page.screenshot({ path: path.join(results, 'e2e-tests-progress.png') });
      // Infill's container in the side bar (no typing after this: the chat input may take the focus).
      if (
        !(await page
          .locator('.part.sidebar .title-label', { hasText: /infill/i })
          .first()
          .isVisible())
      ) {
        await page.locator('.activitybar .action-item a[aria-label^="Infill"]').first().click();
      }
      // The Generated Tests view joins Infill's container when the result is in, with the counts and each candidate.
      const header = page.locator('.part.sidebar .pane-header', { hasText: 'Generated Tests' }).first();
      const end = Date.now() + 240000;
      while (!(await header.isVisible())) {
        if (Date.now() > end) throw new Error('no Generated Tests view after 240 s');
        await page.waitForTimeout(1000);
      }
      const summary = page.locator('.part.sidebar .monaco-list-row', { hasText: 'add (test_adder.py)' }).first();
      await summary.waitFor({ timeout: 10000 });
      const kept = /(\d+) of (\d+) kept/.exec(await summary.innerText());
      if (!kept) throw new Error(`the view's summary reads ${await summary.innerText()}`);
      await page
        .locator('.part.sidebar .monaco-list-row', { hasText: /^\d+ generated$/ })
        .first()
        .waitFor({ timeout: 10000 });
      // Kept tests open the test file; none kept says so in a notification.
      if (Number(kept[1]) > 0)
        await page.locator('.tab', { hasText: 'test_adder.py' }).first().waitFor({ timeout: 30000 });
      await page.screenshot({ path: path.join(results, 'e2e-tests.png') });
      await readmeShot(page, results, 'generate-tests', [
        page.locator('.part.sidebar').first(),
        page.locator('.part.editor').first(),
      ]);
      const outcome = Number(kept[1]) > 0 ? 'kept' : 'none';
      console.log(
        `        ${kept[0]}: ${outcome === 'kept' ? 'test_adder.py written and opened' : 'no test passed, nothing written'}`,
      );
    },
  );
}
