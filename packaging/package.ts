// npm run package: one VSIX per platform into dist-vsix/, a size table, and THIRD_PARTY_NOTICES.md brought up to date.
// Usage: node --import tsx packaging/package.ts [--target linux-x64,win32-x64,...] [--out DIR]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BUDGET_BYTES, findTarget, TARGETS } from './targets';
import { buildVsix, REPO, type VsixResult } from './vsix';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

function writeIfChanged(file: string, text: string): boolean {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return false;
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
  return true;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { target: { type: 'string' }, out: { type: 'string' } } });
  const targets = values.target ? values.target.split(',').map((t) => findTarget(t.trim())) : [...TARGETS];
  const out = path.resolve(values.out ?? path.join(REPO, 'dist-vsix'));
  const results: VsixResult[] = [];
  for (const target of targets) {
    const t = Date.now();
    console.log(`packaging ${target.name}...`);
    results.push(await buildVsix(target, out));
    console.log(`  ${path.relative(process.cwd(), results.at(-1)!.file)} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  }

  // The notices depend only on the packages, not the platform: every target must agree, and the repository's copy
  // is the one the VSIX carries.
  const notices = results[0]!.notices;
  if (results.some((r) => r.notices !== notices))
    throw new Error('THIRD_PARTY_NOTICES.md differs between targets: the runtime packages must be the same everywhere');
  if (writeIfChanged(path.join(REPO, 'THIRD_PARTY_NOTICES.md'), notices)) console.log('THIRD_PARTY_NOTICES.md updated');

  console.log(`\n| target | VSIX | without the model | budget (without the model) | files |`);
  console.log('|---|---:|---:|---:|---:|');
  const over: string[] = [];
  for (const r of results) {
    const without = r.bytes - r.modelBytes;
    const ok = without <= BUDGET_BYTES;
    if (!ok) over.push(r.target);
    console.log(
      `| ${r.target} | ${mb(r.bytes)} | ${mb(without)} | ${mb(BUDGET_BYTES)} ${ok ? 'ok' : 'OVER'} | ${r.entries.length} |`,
    );
  }
  console.log(
    `\nruntime packages: ${results[0]!.deps.packages.map((p) => `${p.name}@${p.version}${p.stub ? ' (stand-in)' : ''}`).join(', ')}`,
  );
  if (over.length) {
    throw new Error(
      `${over.join(', ')} over the size budget of ${mb(BUDGET_BYTES)} without the model: see what the VSIX carries with unzip -l`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(`package: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
