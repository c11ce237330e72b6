import * as fs from 'node:fs';
import * as path from 'node:path';

/** The JavaScript file a TypeScript file runs as (x.ts -> x.js beside it). */
export const compiledName = (file: string) => file.replace(/\.(c|m)?tsx?$/, '.js');

/** Transpiles every .ts file of the folder to CommonJS .js beside it (imports of './x' then find x.js); returns the entry's .js. */
export async function transpileTypeScript(dir: string, entry: string): Promise<string> {
  const esbuild = await import('esbuild');
  const files = (await fs.promises.readdir(dir, { recursive: true })).filter(
    (f) => /\.(c|m)?tsx?$/.test(f) && !f.endsWith('.d.ts'),
  );
  for (const rel of files) {
    const full = path.join(dir, rel);
    const out = compiledName(full);
    let code: string;
    try {
      ({ code } = await esbuild.transform(await fs.promises.readFile(full, 'utf8'), {
        loader: rel.endsWith('x') ? 'tsx' : 'ts',
        format: 'cjs',
        target: 'node20',
        sourcefile: rel,
      }));
    } catch (err) {
      // A file that does not parse runs as a program that fails with the compiler's message, as tsc would report it.
      const message = err instanceof Error ? err.message : String(err);
      code = `process.stderr.write(${JSON.stringify(`TypeScript error in ${rel}: ${message}\n`)}); process.exit(1);\n`;
    }
    await fs.promises.writeFile(out, code);
  }
  return compiledName(entry);
}
