/** What the post-processing filters know about the place a completion goes. */
export interface FilterContext {
  /** Text on the cursor's line before the cursor. */
  linePrefix: string;
  /** Text on the cursor's line after the cursor. */
  lineSuffix: string;
  /** The document after the cursor's line (for repeated-suffix detection). */
  followingLines: string;
  /** Single-line mode cuts at the first newline. */
  multiline: boolean;
  /** Most lines a multi-line completion may have. */
  maxLines: number;
  insertSpaces: boolean;
  tabSize: number;
}

/** A small pure step: completion text in, completion text out ('' drops the suggestion). */
export type CompletionFilter = (text: string, context: FilterContext) => string;

export const indentOf = (line: string): string => /^[ \t]*/.exec(line)![0];

/** Indentation width with tabs counted as tabSize columns. */
export const indentWidth = (line: string, tabSize: number): number =>
  [...indentOf(line)].reduce((w, ch) => w + (ch === '\t' ? tabSize : 1), 0);
