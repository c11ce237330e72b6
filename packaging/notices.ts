// Writes THIRD_PARTY_NOTICES.md: the components inside the VSIX and their licenses. The npm packages are listed from
// their own package.json files (the node_modules staged into the VSIX, and the packages esbuild bundled into dist/,
// found from the bundles' source maps); the license texts are the packages' own LICENSE files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuntimeDeps } from './runtimeDeps';

interface Component {
  name: string;
  version: string;
  license: string;
  homepage: string;
  /** Where it is in the VSIX. */
  where: string;
  /** Its license files' texts. */
  texts: string[];
}

interface PackageJson {
  name: string;
  version: string;
  license?: string | { type: string };
  homepage?: string;
  repository?: string | { url: string };
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
}

function licenseOf(pkg: PackageJson): string {
  const l = pkg.license;
  if (!l)
    throw new Error(
      `${pkg.name} ${pkg.version} declares no license in its package.json: check it by hand before shipping it`,
    );
  return typeof l === 'string' ? l : l.type;
}

function homepageOf(pkg: PackageJson): string {
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const url = pkg.homepage ?? repo ?? `https://www.npmjs.com/package/${pkg.name}`;
  const https = url
    .replace(/^git\+/, '')
    .replace(/\.git$/, '')
    .replace(/^git:\/\//, 'https://');
  // "owner/name" and "github:owner/name" are GitHub shorthands.
  return /^(github:)?[\w.-]+\/[\w.-]+$/.test(https) ? `https://github.com/${https.replace(/^github:/, '')}` : https;
}

function licenseTexts(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^(licen[cs]e|copying|notice)([-.].*)?$/i.test(f))
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8').replace(/\r\n/g, '\n').trim());
}

function component(dir: string, where: string): Component {
  const pkg = readPackage(dir);
  return {
    name: pkg.name,
    version: pkg.version,
    license: licenseOf(pkg),
    homepage: homepageOf(pkg),
    where,
    texts: licenseTexts(dir),
  };
}

/** Package folders (relative to the repository) whose code esbuild put into each bundle, from its source map. */
export function bundledPackages(repo: string, bundles: string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const bundle of bundles) {
    const mapFile = `${bundle}.map`;
    if (!fs.existsSync(mapFile))
      throw new Error(
        `${path.relative(repo, mapFile)} is missing: run npm run build (its source maps list the bundled packages)`,
      );
    const { sources } = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as { sources: string[] };
    for (const source of sources) {
      const abs = path.resolve(path.dirname(mapFile), source);
      const at = abs.lastIndexOf(`${path.sep}node_modules${path.sep}`);
      if (at < 0) continue;
      const parts = abs.slice(at + '/node_modules/'.length).split(path.sep);
      const name = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
      const dir = path.relative(repo, abs.slice(0, at + '/node_modules/'.length) + name);
      const list = found.get(dir) ?? [];
      const rel = path.relative(repo, bundle).split(path.sep).join('/');
      if (!list.includes(rel)) list.push(rel);
      found.set(dir, list);
    }
  }
  return found;
}

/** The verbatim Llama 2 Community License from the shipped model's LICENSE-LLAMA2.md (its ~~~~text block). */
export function llama2LicenseText(repo: string): string {
  const file = path.join(repo, 'models', 'tiny-codellama', 'LICENSE-LLAMA2.md');
  const m = /^~~~~text\n([\s\S]*?)\n~~~~$/m.exec(fs.readFileSync(file, 'utf8'));
  if (
    !m ||
    !m[1]!.startsWith('LLAMA 2 COMMUNITY LICENSE AGREEMENT') ||
    !m[1]!.includes('7. Governing Law and Jurisdiction.')
  ) {
    throw new Error(
      `${path.relative(repo, file)} lacks the full Llama 2 Community License text (a ~~~~text block from its title to section 7)`,
    );
  }
  return m[1]!;
}

const byName = (a: Component, b: Component) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version);

function table(components: Component[]): string {
  return [
    '| package | version | license | in the VSIX |',
    '|---|---|---|---|',
    ...components.map((c) => `| [${c.name}](${c.homepage}) | ${c.version} | ${c.license} | ${c.where} |`),
  ].join('\n');
}

/** The text of THIRD_PARTY_NOTICES.md for a staged VSIX (the same for every target: only binaries differ). */
export function thirdPartyNotices(repo: string, stage: string, deps: RuntimeDeps, bundles: string[]): string {
  const shipped = deps.packages
    .filter((p) => !p.stub)
    .map((p) => {
      const c = component(path.join(stage, p.dir), `\`extension/${p.generic ? `node_modules/${p.generic}` : p.dir}\``);
      // A platform's binary package is named after the platform: list it once for all of them.
      return p.generic ? { ...c, name: p.generic, homepage: c.homepage.replace(p.name, p.generic) } : c;
    });
  const bundled: Component[] = [];
  for (const [dir, into] of bundledPackages(repo, bundles))
    bundled.push(component(path.join(repo, dir), into.map((b) => `\`${b}\``).join(', ')));
  // Packages that another package's build already contains (transformers.js's Node build embeds its tokenizers,
  // its template engine and onnxruntime-web's JavaScript).
  const embedded = deps.embedded.map((e) => component(path.join(repo, e.dir), `inside \`${e.host}\``));
  const all = [...shipped, ...bundled, ...embedded].sort(byName);
  const ort = deps.packages.find((p) => p.name === 'onnxruntime-node');
  const stubs = deps.packages.filter((p) => p.stub).map((p) => `\`${p.name}\``);

  // One copy of each distinct license text, with the packages that carry it.
  const texts = new Map<string, string[]>();
  for (const c of all) for (const t of c.texts) texts.set(t, [...(texts.get(t) ?? []), `${c.name} ${c.version}`]);

  return `# Third-party notices

Infill's own code is under the MIT License (\`LICENSE\`). The Infill VSIX also carries the components below, each under
its own license. This file is generated by \`npm run package\` (\`packaging/notices.ts\`) from the package.json and
LICENSE files of the npm packages inside the VSIX; do not edit it by hand.

## ONNX Runtime

\`onnxruntime-node\` ${ort?.version ?? ''} carries Microsoft's ONNX Runtime native libraries (\`bin/napi-v6/<os>/<arch>/\`;
each VSIX carries only its own platform's). MIT License, Copyright (c) Microsoft Corporation. ONNX Runtime's own
third-party notices (the libraries it is built from): https://github.com/microsoft/onnxruntime/blob/main/ThirdPartyNotices.txt

The Windows build also carries, as onnxruntime-node distributes them: \`DirectML.dll\` (Microsoft DirectML,
https://github.com/microsoft/DirectML, redistributed under the license of the \`Microsoft.AI.DirectML\` package),
\`dxcompiler.dll\` and \`dxil.dll\` (the DirectX Shader Compiler, https://github.com/microsoft/DirectXShaderCompiler,
under the license of its release).

    MIT License

    Copyright (c) Microsoft Corporation

    Permission is hereby granted, free of charge, to any person obtaining a copy
    of this software and associated documentation files (the "Software"), to deal
    in the Software without restriction, including without limitation the rights
    to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
    copies of the Software, and to permit persons to whom the Software is
    furnished to do so, subject to the following conditions:

    The above copyright notice and this permission notice shall be included in all
    copies or substantial portions of the Software.

    THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
    IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
    FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
    AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
    LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
    OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
    SOFTWARE.

## transformers.js

\`@huggingface/transformers\` (Apache-2.0, Copyright Hugging Face) reads the tokenizer and renders chat templates. Only its
Node build (\`dist/transformers.node.cjs\`) ships; its license text is below.

## The shipped model's vocabulary: Llama 2 Community License

The tokenizer of the shipped model (\`models/tiny-codellama/tokenizer.json\`, ids 0..31999) is the Llama 2 tokenizer:

    Llama 2 is licensed under the LLAMA 2 Community License,
    Copyright (c) Meta Platforms, Inc. All Rights Reserved.

The model's weights were trained from scratch by the Infill project on permissively licensed code (the licenses are
listed in \`models/tiny-codellama/README.md\`). The license's full text follows, verbatim from Meta's repository
\`meta-llama/llama\`; \`models/tiny-codellama/LICENSE-LLAMA2.md\` (in the VSIX) has it too, with the Acceptable Use
Policy that it incorporates (https://ai.meta.com/llama/use-policy/).

${llama2LicenseText(repo)
  .split('\n')
  .map((l) => (l ? `    ${l}` : ''))
  .join('\n')}

## npm packages

${table(all)}

Dependencies that are not in the VSIX as packages of their own, and why:

${deps.dropped.map((d) => `- ${d}`).join('\n')}
${stubs.length ? `\n${stubs.join(', ')} in the VSIX is Infill's own stand-in (MIT, \`packaging/stubs/\`), not the package of that name.\n` : ''}
## License texts

${[...texts]
  .map(
    ([text, owners]) =>
      `### ${owners.join(', ')}\n\n${text
        .split('\n')
        .map((l) => (l ? `    ${l}` : ''))
        .join('\n')}`,
  )
  .join('\n\n')}
`;
}
