// README.md is the settings reference and shows the end-to-end test's screenshots: every setting that package.json
// contributes is in one of its tables with its default, and every screenshot the test takes is shown and present.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { README_SHOTS } from '../host/e2e/readmeShots';

const REPO = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
};
const settings = Object.entries(manifest.contributes.configuration.properties);

/** A default as a README table writes it: `""`, `auto`, `150`, `true`, `{"*": true, ...}` (spacing ignored). */
const shown = (v: unknown): string =>
  `\`${typeof v === 'string' ? (v === '' ? '""' : v) : JSON.stringify(v)}\``.replace(/\s+/g, '');

describe('README.md', () => {
  it('lists every setting of package.json in a table row, with its default', () => {
    assert.ok(settings.length > 30, 'the settings were read');
    const rows = readme
      .split('\n')
      .filter((l) => l.startsWith('|'))
      .map((l) => l.replace(/\s+/g, ''));
    const missing = settings.filter(([key]) => !rows.some((r) => r.includes(`\`${key}\``))).map(([key]) => key);
    assert.deepEqual(missing, [], 'settings without a row in a README table');
    const wrongDefault = settings
      .filter(
        ([key, s]) =>
          !rows.some((r) => r.split('|')[1]?.includes(`\`${key}\``) && r.split('|')[2]?.includes(shown(s.default))),
      )
      .map(([key, s]) => `${key} (default ${shown(s.default)})`);
    assert.deepEqual(wrongDefault, [], 'settings whose README row does not show the default');
  });

  it('shows every screenshot the end-to-end test takes, from media/screenshots/', () => {
    for (const name of README_SHOTS) {
      const file = `media/screenshots/${name}.png`;
      assert.ok(readme.includes(`](${file})`), `README.md does not show ${file}`);
      assert.ok(
        fs.existsSync(path.join(REPO, file)),
        `${file} is missing: run npm run test:host, then npm run screenshots`,
      );
    }
  });
});
