import * as fs from 'node:fs';
import * as path from 'node:path';

/** The model that ships in models/tiny-codellama, found from wherever this code runs (sources, bundle, VSIX). */
export function shippedModelDir(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, 'models', 'tiny-codellama');
    if (fs.existsSync(path.join(candidate, 'config.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(from, 'models', 'tiny-codellama');
    dir = parent;
  }
}
