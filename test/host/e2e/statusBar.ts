// Browser end-to-end step for Infill's status bar item (called from test/host/run.ts): it shows the model and its state;
// a click opens Infill's actions, and Select Model there lists the shipped model and the hub catalog (nothing is picked).
import type { Page } from 'playwright-core';
import { readmeShot } from './readmeShots';

export function statusBarSteps({
  page,
  step,
  results,
}: {
  page: Page;
  step: (name: string, f: () => Promise<void>) => void;
  results: string;
}): void {
  step("the status bar item opens Infill's actions; Select Model lists the shipped model and the catalog", async () => {
    const item = page.locator('.statusbar [aria-label^="Infill "]').first();
    const label = (await item.getAttribute('aria-label')) ?? '';
    if (!/tiny-codellama/.test(label))
      throw new Error(`the status bar item does not name the model: ${JSON.stringify(label)}`);
    // The status bar's right half, where the item is.
    await readmeShot(page, results, 'status-bar', [item, page.locator('.statusbar .right-items').first()], {
      margin: 0,
    });
    await item.click();
    const quick = page.locator('.quick-input-widget');
    await quick
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Select Model' })
      .first()
      .waitFor({ timeout: 10000 });
    await quick.locator('.quick-input-list .monaco-list-row', { hasText: 'Select Model' }).first().click();
    await quick.locator('.quick-input-title', { hasText: 'Infill: Select Model' }).waitFor({ timeout: 10000 });
    const rows = quick.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'Shipped model (tiny-codellama)' }).first().waitFor({ timeout: 10000 });
    await rows
      .filter({ hasText: /Qwen2\.5-Coder/ })
      .first()
      .waitFor({ timeout: 10000 });
    await readmeShot(page, results, 'select-model', [quick], { margin: 4 });
    await page.keyboard.press('Escape');
    await quick.waitFor({ state: 'hidden', timeout: 10000 });
  });
}
