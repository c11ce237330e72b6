// npm run screenshots: copies the README's screenshots from the latest browser end-to-end run (test-results/readme/,
// written by npm run test:host: see test/host/e2e/readmeShots.ts) into media/screenshots/, which README.md shows and the
// VSIX carries. Fails, copying nothing, when the run did not take every one of them or they are too big together.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { README_SHOTS, readmeShotsDir } from './e2e/readmeShots';

const REPO = path.resolve(__dirname, '..', '..');
const FROM = readmeShotsDir(path.join(REPO, 'test-results'));
const TO = path.join(REPO, 'media', 'screenshots');
/** All of them together; they travel in every VSIX and with every clone. */
const BUDGET_BYTES = 1.5 * 1024 * 1024;

function main(): void {
  const missing = README_SHOTS.filter((n) => !fs.existsSync(path.join(FROM, `${n}.png`)));
  if (missing.length) {
    throw new Error(
      `${path.relative(REPO, FROM)} lacks ${missing.map((n) => `${n}.png`).join(', ')}: run npm run test:host until its browser steps all pass`,
    );
  }
  const sizes = README_SHOTS.map((n) => fs.statSync(path.join(FROM, `${n}.png`)).size);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total > BUDGET_BYTES)
    throw new Error(
      `the screenshots take ${(total / 1024).toFixed(0)} KiB, over ${BUDGET_BYTES / 1024} KiB: crop them smaller in the end-to-end steps`,
    );
  fs.mkdirSync(TO, { recursive: true });
  for (const f of fs.readdirSync(TO))
    if (f.endsWith('.png') && !README_SHOTS.some((n) => `${n}.png` === f)) fs.rmSync(path.join(TO, f));
  README_SHOTS.forEach((n, i) => {
    fs.copyFileSync(path.join(FROM, `${n}.png`), path.join(TO, `${n}.png`));
    console.log(`media/screenshots/${n}.png  ${(sizes[i]! / 1024).toFixed(0)} KiB`);
  });
  console.log(`${README_SHOTS.length} screenshots, ${(total / 1024).toFixed(0)} KiB in all`);
}

main();
