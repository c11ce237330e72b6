import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FILTERS, postprocess, type FilterContext } from '../../src/core/completion/filters';

interface Golden {
  name: string;
  language: string;
  filter?: string;
  context?: Partial<FilterContext>;
  input: string;
  expected: string;
}

const DIR = path.join(__dirname, '..', 'fixtures', 'postprocess');
const load = (f: string) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as Golden[];
const context = (c: Partial<FilterContext> = {}): FilterContext => ({
  linePrefix: '',
  lineSuffix: '',
  followingLines: '',
  multiline: true,
  maxLines: 8,
  insertSpaces: true,
  tabSize: 4,
  ...c,
});

describe('post-processing filters (golden fixtures)', () => {
  const cases = load('cases.json');
  it('has 30+ cases across Python, TypeScript/JavaScript, Go, Rust and Java', () => {
    assert.ok(cases.length >= 30);
    for (const lang of ['python', 'typescript', 'javascript', 'go', 'rust', 'java'])
      assert.ok(
        cases.some((c) => c.language === lang),
        lang,
      );
    for (const name of Object.keys(FILTERS))
      assert.ok(
        cases.some((c) => c.filter === name),
        `fixtures for ${name}`,
      );
  });
  for (const c of cases) {
    it(`${c.filter}: ${c.name}`, () => {
      const filter = FILTERS[c.filter!];
      assert.ok(filter, `unknown filter ${c.filter}`);
      assert.equal(filter(c.input, context(c.context)), c.expected);
    });
  }
  for (const c of load('pipeline.json')) {
    it(`pipeline: ${c.name}`, () => assert.equal(postprocess(c.input, context(c.context)), c.expected));
  }
});
