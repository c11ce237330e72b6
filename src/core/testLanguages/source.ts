import { InfillError } from '../errors';

/** A module's source as the locators read it: indentation (a tab counts 4), blank lines, where nothing was found. */
export const indentWidth = (line: string) => /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length;
export const isBlank = (line: string) => /^\s*(#.*)?$/.test(line);

export function notFound(line: number, what: string): InfillError {
  return new InfillError(
    'no-definition',
    `Line ${line + 1} is not in a ${what}`,
    'Put the cursor inside the function to test (or give its line)',
  );
}

/** A file name without its extension: how imports name a module. */
export const stemOf = (fileName: string) => fileName.replace(/\.[^.]+$/, '');
