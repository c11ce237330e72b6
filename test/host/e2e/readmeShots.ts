// The README's screenshots: a fixed set of named PNGs, each a region of the workbench, written by the browser
// end-to-end test (test/host/run.ts and test/host/e2e/*.ts) into test-results/readme/. `npm run screenshots`
// (test/host/screenshots.ts) copies the latest run's set into media/screenshots/, where README.md shows them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';

/** Every screenshot README.md shows, in the order the end-to-end test takes them. */
export const README_SHOTS = [
  'inline-completion',
  'status-bar',
  'select-model',
  'check-setup',
  'docstring',
  'chat-dark',
  'chat-light',
  'generate-tests',
] as const;
export type ReadmeShot = (typeof README_SHOTS)[number];

export const readmeShotsDir = (results: string): string => path.join(results, 'readme');

/**
 * Saves the region around `parts` (their bounding boxes joined, plus `margin` pixels, inside the viewport) as
 * test-results/readme/NAME.png. `maxHeight` cuts the region below that many pixels from its top (an editor is mostly
 * empty lines under a short file). A part that is not on screen is an error: the screenshot would not show the feature.
 */
export async function readmeShot(
  page: Page,
  results: string,
  name: ReadmeShot,
  parts: Locator[],
  { margin = 0, maxHeight }: { margin?: number; maxHeight?: number } = {},
): Promise<void> {
  const boxes = await Promise.all(
    parts.map(async (p) => {
      const b = await p.boundingBox();
      if (!b) throw new Error(`readme screenshot ${name}: ${p.toString()} is not on screen`);
      return b;
    }),
  );
  const view = page.viewportSize() ?? { width: 1400, height: 900 };
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const right = Math.min(view.width, Math.max(...boxes.map((b) => b.x + b.width)) + margin);
  let bottom = Math.min(view.height, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
  if (maxHeight !== undefined) bottom = Math.min(bottom, y + maxHeight);
  const dir = readmeShotsDir(results);
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({
    path: path.join(dir, `${name}.png`),
    clip: { x, y, width: Math.round(right - x), height: Math.round(bottom - y) },
  });
}
