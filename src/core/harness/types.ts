import type { TestLanguage } from '../testLanguages';

export type { TestLanguage } from '../testLanguages';

/** A function found in a source file, the subject of generated tests. */
export interface LocatedFunction {
  name: string;
  /** The class a method belongs to (tests construct it), when the function is a method. */
  className?: string;
  language: TestLanguage;
  /** 0-based first line (decorators and comments right above included) and last line, inclusive. */
  startLine: number;
  endLine: number;
  /** The function's source text (lines startLine..endLine). */
  source: string;
  /** JavaScript/TypeScript: whether the module exports it (tests can only import what is exported). */
  exported: boolean;
}

/** A range the editor's document symbol provider knows (0-based lines), used instead of the locator's own scan. */
export interface FunctionHint {
  name: string;
  kind: 'function' | 'method' | 'class';
  startLine: number;
  endLine: number;
}
