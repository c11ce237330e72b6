// The FIM registry (src/core/fim/registry.ts) is the one list of families: what else lists them (package.json, which
// VS Code reads as it is, and the CLI help) must agree with it, and every declared family must work from its data.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HELP } from '../../src/cli/help';
import { buildFimPrompt, detectFimFamily, FIM_FAMILIES } from '../../src/core/fim';
import { FIM_REGISTRY } from '../../src/core/fim/registry';
import { tokenizerWithSpecialTokens } from '../helpers/tokenizers';

interface Setting {
  enum?: string[];
  markdownDescription?: string;
}
const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Setting | undefined> } };
};
const setting = (key: string): Setting => {
  const s = manifest.contributes.configuration.properties[key];
  assert.ok(s, `package.json has no ${key} setting`);
  return s;
};

describe('FIM registry', () => {
  it("FIM_FAMILIES is the registry's names, each once", () => {
    assert.deepEqual(
      FIM_FAMILIES,
      FIM_REGISTRY.map((f) => f.name),
    );
    assert.equal(new Set(FIM_FAMILIES).size, FIM_FAMILIES.length);
  });

  it('package.json: infill.fim.family offers auto and every registry family, in registry order', () => {
    assert.deepEqual(
      setting('infill.fim.family').enum,
      ['auto', ...FIM_FAMILIES],
      "add the new family to contributes.configuration infill.fim.family's enum in package.json",
    );
  });

  it('package.json: infill.fim.order names the families that support SPM, and only those', () => {
    const text = setting('infill.fim.order').markdownDescription ?? '';
    for (const f of FIM_REGISTRY)
      assert.equal(text.includes(f.displayName), f.supportsSpm, `${f.displayName} in "${text}"`);
  });

  it('the CLI help lists every registry family for --fim-family', () => {
    const line = HELP.split('\n').find((l) => l.trimStart().startsWith('--fim-family'));
    assert.ok(line?.includes(['auto', ...FIM_FAMILIES].join(' | ')), line);
  });

  it("the README's CLI usage lists every registry family for --fim-family", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
    const usage = /\[--fim-family ([^\]]+)\]/.exec(readme)?.[1];
    assert.equal(usage, ['auto', ...FIM_FAMILIES].join('|'), 'update the README\'s "The CLI" usage block');
  });

  it('a family that shares its FIM tokens with a later one has a marker that tells it apart', () => {
    FIM_REGISTRY.forEach((f, i) => {
      for (const later of FIM_REGISTRY.slice(i + 1)) {
        if (JSON.stringify(f.tokens) === JSON.stringify(later.tokens))
          assert.ok(f.marker, `${f.name} is detected before ${later.name}`);
      }
    });
  });

  for (const f of FIM_REGISTRY) {
    it(`${f.name}: detected from its own tokens, and builds a prompt with them`, async () => {
      const tokens = [f.tokens.prefix, f.tokens.suffix, f.tokens.middle, ...(f.marker ? [f.marker] : []), ...f.stops];
      const tok = await tokenizerWithSpecialTokens([...new Set(tokens)], f.bos);
      assert.equal(detectFimFamily(tok)?.name, f.name);
      const prompt = buildFimPrompt(tok, 'a = ', '\n');
      assert.equal(prompt.family, f.name);
      assert.equal(prompt.ids.at(-1), tok.tokenId(f.tokens.middle), 'PSM: the middle token ends the prompt');
      assert.deepEqual(new Set(prompt.stopTokenIds), new Set(f.stops.map((t) => tok.tokenId(t))));
    });
  }
});
