import * as fs from 'node:fs';
import * as path from 'node:path';

/** The absolute path of an executable found on PATH (or in the usual system folders), or undefined. */
export async function findExecutable(name: string): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/bin', '/usr/sbin', '/sbin'].filter(
    Boolean,
  );
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      await fs.promises.access(candidate, fs.constants.X_OK);
      if ((await fs.promises.stat(candidate)).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
