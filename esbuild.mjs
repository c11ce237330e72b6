// Bundles the CLI, the extension and the engine host into dist/. Native and model-loading packages stay
// external: they are installed next to the bundle.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['onnxruntime-node', 'koffi', '@huggingface/transformers', 'sharp', 'vscode', 'esbuild'], // esbuild: the sandbox transpiles TypeScript
  define: { INFILL_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
};
const builds = [
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The extension must stay light to activate fast: it never imports the engine (onnxruntime, transformers.js).
  { ...common, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', metafile: true },
  { ...common, entryPoints: ['src/engine-host/main.ts'], outfile: 'dist/engine-host.js' },
  // The chat panel's webview: a browser bundle with its CSS and the codicon font (the webview loads dist/webview only).
  {
    entryPoints: { chat: 'media/chat/main.ts' },
    outdir: 'dist/webview',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
    logLevel: 'warning',
  },
];
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  const extensionInputs = Object.keys(results[1].metafile.inputs);
  const heavy = extensionInputs.filter(
    (f) => f.includes('src/core/engine') || f.includes('onnxruntime') || f.includes('@huggingface'),
  );
  if (heavy.length) throw new Error(`dist/extension.js must not bundle the engine: ${heavy.join(', ')}`);
}
