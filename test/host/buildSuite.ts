import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

export const SUITE_OUT = path.resolve(__dirname, '..', '..', 'dist', 'test-host');

/** Bundles the in-host mocha suite (test/host/suite) for extensionTestsPath; returns the index file. */
export async function buildSuite(): Promise<string> {
  await esbuild.build({
    // index.ts and every *.test.ts of the suite (each feature adds its own file).
    entryPoints: [
      path.join(__dirname, 'suite', 'index.ts'),
      ...fs
        .readdirSync(path.join(__dirname, 'suite'))
        .filter((f) => f.endsWith('.test.ts'))
        .map((f) => path.join(__dirname, 'suite', f)),
    ],
    outdir: SUITE_OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha', 'esbuild'],
    logLevel: 'warning',
  });
  return path.join(SUITE_OUT, 'index.js');
}
