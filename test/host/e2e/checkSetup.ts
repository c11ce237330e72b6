// Browser end-to-end step for Infill: Check Setup (called from test/host/run.ts): the command palette opens the setup
// report in an editor tab; it shows this machine, the providers, IO binding, the sandbox, the test runtimes and the
// model's self-check, each with its status, and a link in it runs a command (here: Select Model opens).
import type { FrameLocator, Page } from 'playwright-core';
import { readmeShot } from './readmeShots';

const setupFrame = (page: Page): FrameLocator =>
  page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');

export function checkSetupSteps({
  page,
  step,
  results,
}: {
  page: Page;
  step: (name: string, f: () => Promise<void>) => void;
  results: string;
}): void {
  step(
    'Infill: Check Setup shows the machine, what Infill can use, and the self-check, with links to fix',
    async () => {
      await page.keyboard.press('F1');
      await page.keyboard.type('Infill: Check Setup', { delay: 15 });
      await page.waitForTimeout(400);
      await page.keyboard.press('Enter');
      await page.locator('.tab', { hasText: 'Infill: Setup' }).first().waitFor({ timeout: 60000 });
      const frame = setupFrame(page);
      await frame.locator('h1', { hasText: 'Infill: Setup' }).waitFor({ timeout: 30000 });
      const text = await frame.locator('body').innerText();
      for (const want of [
        /Memory\s+[\d.]+ GB free of [\d.]+ GB/,
        /CPU\s+.+, \d+ cores/,
        /GPU\s+none seen \(NVIDIA GPU: nvidia-smi not found\)|GPU\s+.+nvidia-smi/,
        /Provider: CPU\s+always available/,
        /IO binding \(koffi\)/,
        /Sandbox isolation/,
        /Python/,
        /Node\.js/,
        /Model: tiny-codellama/,
        /Models for this machine/,
      ]) {
        if (!want.test(text)) throw new Error(`the setup report lacks ${want}: ${JSON.stringify(text.slice(0, 1500))}`);
      }
      // The shipped model passes the load's FIM self-check (its middles end with ▁<EOT>).
      const modelRow = frame.locator('tr', { hasText: 'Model: tiny-codellama' });
      await modelRow.locator('.badge.ok').waitFor({ timeout: 5000 });
      if (!/infills \(codellama\)/.test(await modelRow.innerText()))
        throw new Error(`the model row does not report the self-check: ${await modelRow.innerText()}`);
      await readmeShot(page, results, 'check-setup', [page.locator('.part.editor').first()], { maxHeight: 700 });
      // The page's links run commands: Select Model under the recommendation.
      await frame.locator('p a', { hasText: 'Infill: Select Model' }).click();
      const quick = page.locator('.quick-input-widget');
      await quick.locator('.quick-input-title', { hasText: 'Infill: Select Model' }).waitFor({ timeout: 15000 });
      await page.keyboard.press('Escape');
      await quick.waitFor({ state: 'hidden', timeout: 10000 });
      const item = page.locator('.statusbar [aria-label^="Infill "]').first();
      const label = (await item.getAttribute('aria-label')) ?? '';
      if (/self-check warning/.test(label)) throw new Error(`the status bar warns: ${JSON.stringify(label)}`);
      await page.keyboard.press('Control+W');
    },
  );
}
