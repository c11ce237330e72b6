// The layer rules of eslint.config.mjs, run by the real ESLint on probe files written into the layers: the core may
// not import the editor, the CLI, the engine client or the protocol; the engine client may not import the editor;
// and no import cycle passes. Each probe must fail lint with the rule that guards it, and a clean probe must pass.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../helpers/model';

const PROBE = '__lint_probe__';

describe('lint: layers and cycles (eslint.config.mjs on probe files)', function () {
  this.timeout(180000);
  const written: string[] = [];
  const write = (rel: string, text: string): string => {
    const file = path.join(REPO_ROOT, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    written.push(path.dirname(file));
    return file;
  };
  after(() => {
    for (const dir of new Set(written)) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function rulesOf(files: string[]): Promise<Map<string, string[]>> {
    const eslint = new ESLint({ cwd: REPO_ROOT });
    const results = await eslint.lintFiles(files);
    return new Map(
      results.map((r) => [path.relative(REPO_ROOT, r.filePath), r.messages.map((m) => m.ruleId ?? m.message)]),
    );
  }

  it('fails on a forbidden import, on a cycle, and passes a clean file', async () => {
    const files = [
      write(`src/core/${PROBE}/usesEditor.ts`, "import * as vscode from 'vscode';\nexport const v = vscode.version;\n"),
      write(`src/core/${PROBE}/usesCli.ts`, "import { main } from '../../cli/main';\nexport const m = main;\n"),
      write(
        `src/core/${PROBE}/usesProtocol.ts`,
        "import type { EngineMethod } from '../../protocol';\nexport const m: EngineMethod = 'load';\n",
      ),
      write(
        `src/engine-client/${PROBE}/usesEditor.ts`,
        "import { activate } from '../../vscode/extension';\nexport const a = activate;\n",
      ),
      write(`src/core/${PROBE}/cycleA.ts`, "import { b } from './cycleB';\nexport const a = (): number => b() + 1;\n"),
      write(
        `src/core/${PROBE}/cycleB.ts`,
        "import { a } from './cycleA';\nexport const b = (): number => (a.length ? 0 : 1);\n",
      ),
      write(
        `src/core/${PROBE}/clean.ts`,
        "import { InfillError } from '../errors';\nexport const e = new InfillError('bad-arguments', 'x', 'y');\n",
      ),
    ];
    const rules = await rulesOf(files);
    const of = (rel: string) => rules.get(rel) ?? [];
    assert.ok(
      of(`src/core/${PROBE}/usesEditor.ts`).includes('no-restricted-imports'),
      `core -> vscode: ${of(`src/core/${PROBE}/usesEditor.ts`).join(', ')}`,
    );
    assert.ok(of(`src/core/${PROBE}/usesCli.ts`).includes('import-x/no-restricted-paths'));
    assert.ok(of(`src/core/${PROBE}/usesProtocol.ts`).includes('import-x/no-restricted-paths'));
    assert.ok(of(`src/engine-client/${PROBE}/usesEditor.ts`).includes('import-x/no-restricted-paths'));
    assert.ok(
      of(`src/core/${PROBE}/cycleA.ts`).includes('import-x/no-cycle'),
      `cycle: ${of(`src/core/${PROBE}/cycleA.ts`).join(', ')}`,
    );
    assert.deepEqual(of(`src/core/${PROBE}/clean.ts`), []);
  });
});
