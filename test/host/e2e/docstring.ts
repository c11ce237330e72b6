// Browser end-to-end step for Infill: Generate Docstring (called from test/host/run.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { readmeShot } from './readmeShots';

const REPO = path.resolve(__dirname, '..', '..', '..');

/**
 * Copies examples/geometry.py into the workspace now (before the workbench opens), and adds the step: open it from
 * Quick Open, put the cursor in `distance`, run "Infill: Generate Docstring" from the command palette, wait for the
 * docstring in the editor, screenshot test-results/e2e-docstring.png; then back to demo.py for the steps after it.
 */
export function docstringSteps({
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
  fs.copyFileSync(path.join(REPO, 'examples', 'geometry.py'), path.join(workspace, 'geometry.py'));
  step('Infill: Generate Docstring from the command palette writes a docstring into geometry.py', async () => {
    await page.keyboard.press('Control+P');
    await page.keyboard.type('geometry.py', { delay: 30 });
    await page.waitForTimeout(800);
    await page.keyboard.press('Enter');
    const editor = page.locator('.monaco-editor .view-lines').first();
    await page.locator('.tab', { hasText: 'geometry.py' }).first().waitFor({ timeout: 30000 });
    await page.waitForTimeout(800);
    // Line 5 is the first line of distance()'s body.
    await page.keyboard.press('Control+P');
    await page.keyboard.type(':5', { delay: 30 });
    await page.keyboard.press('Enter');
    await page.keyboard.press('F1');
    await page.keyboard.type('Infill: Generate Docstring', { delay: 20 });
    await page.waitForTimeout(500);
    await page.keyboard.press('Enter');
    const end = Date.now() + 90000;
    let text = '';
    while (Date.now() < end) {
      text = (await editor.innerText()).replace(/\u00a0/g, ' ');
      if (/Args:/.test(text) && /x1/.test(text.split('Args:')[1] ?? '')) break;
      await page.waitForTimeout(500);
    }
    await page.screenshot({ path: path.join(results, 'e2e-docstring.png') });
    if (!/def distance\(x1, y1, x2, y2\):\s*\n\s*"""/.test(text))
      throw new Error(`no docstring after def distance; the editor shows:\n${text.slice(0, 400)}`);
    for (const p of ['x1', 'y1', 'x2', 'y2'])
      if (!new RegExp(`${p}\\b[^\\n]*:`).test(text.split('Args:')[1] ?? '')) throw new Error(`${p} is not in Args`);
    await readmeShot(page, results, 'docstring', [page.locator('.part.editor').first()], { maxHeight: 460 });
    // Later steps work in demo.py: leave it the active editor again.
    await page.keyboard.press('Control+P');
    await page.keyboard.type('demo.py', { delay: 30 });
    await page.waitForTimeout(800);
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'demo.py' }).first().waitFor({ timeout: 30000 });
    await page.waitForTimeout(500);
  });
}
