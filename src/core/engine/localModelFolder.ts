import * as path from 'node:path';

/**
 * The name under which transformers.js reads a model folder on disk, whatever the folder is called.
 *
 * transformers.js' from_pretrained() takes either a hub model id (looked up under env.localModelPath) or a path to a
 * folder. It tells them apart by the hub's id rules: a name with `--`, `..`, a space or a non-ASCII letter is not an id,
 * so it is read as a path relative to the working directory. Handing it a folder's base name with env.localModelPath
 * set to the parent therefore failed for exactly those names (`owner--name`, which `infill models pull` makes, among
 * them). An absolute path is never a valid id (it starts with `/`, `\\` or a drive letter and colon), so it is always
 * read as the folder itself, and no global lookup path is involved.
 */
export function localModelFolder(dir: string, paths: path.PlatformPath = path): string {
  return paths.resolve(dir);
}
