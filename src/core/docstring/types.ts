/** Languages Infill writes doc comments for. */
export type DocLanguage = 'python' | 'javascript' | 'typescript' | 'java' | 'go' | 'rust' | 'c' | 'cpp' | 'csharp';

/** Python docstring conventions; `auto` picks the one used nearby in the file (Google when there is none). */
export type PythonStyle = 'google' | 'numpy' | 'rest';
export type PythonStyleSetting = PythonStyle | 'auto';

/** The comment convention a doc comment is written in. */
export type DocStyle = PythonStyle | 'jsdoc' | 'javadoc' | 'godoc' | 'rustdoc' | 'doxygen' | 'xmldoc';

export interface Param {
  name: string;
  /** The declared type where the signature gives one (Python annotations feed Google and NumPy entries). */
  type?: string;
}

/** A 0-based line and UTF-16 character, as VS Code counts them. */
export interface DocPosition {
  line: number;
  character: number;
}

/** The function, method or class a doc comment is written for (0-based lines). */
export interface Definition {
  kind: 'function' | 'class';
  name: string;
  params: Param[];
  /** First line of the declaration, decorators / annotations / attributes included. */
  declLine: number;
  /** The line that names it (`def`, `function`, `fn`...). */
  headerLine: number;
  /** The line where the header ends (Python's `:`, the body's `{`, or a prototype's `;`). */
  headerEndLine: number;
  /** Last line of the body. */
  endLine: number;
  /** Indentation of the declaration. */
  indent: string;
  /** Python: indentation of the body, where the docstring goes. */
  bodyIndent: string;
  /** Python: the body sits on the header's line (`def f(): return 1`), so a docstring has no line to go on. */
  inlineBody?: boolean;
}

/**
 * A symbol from the editor's document symbol provider (the adapter flattens VS Code's tree), 0-based lines. The core
 * prefers these where they contain the cursor, and falls back to its own indentation / brace locator.
 */
export interface SymbolHint {
  name: string;
  kind: 'function' | 'method' | 'constructor' | 'class' | 'interface' | 'struct' | 'enum' | 'variable';
  startLine: number;
  endLine: number;
  /** The line of the symbol's name. */
  selectionLine: number;
}

/** An existing doc comment: whole lines [startLine, endLine], 0-based, inclusive. */
export interface ExistingDoc {
  startLine: number;
  endLine: number;
}
