import type { CandidateTest } from '../harness/candidates';
import type { ModuleRef } from '../harness/testFile';
import type { LocatedFunction } from '../harness/types';

/**
 * One language Infill writes tests in and runs them: what the harness (locating, prompting, cutting tests out of model
 * output, composing test files) and the sandbox (its runner) need to know of it. The table is in index.ts.
 */
export interface TestLanguageSpec {
  /** As prompts and messages name it: `Python`. */
  name: string;
  /** The extension messages name: `.py`. */
  extension: string;
  /** Its source files, by name (TypeScript declaration files do not match). */
  sourceFile: RegExp;
  /** VS Code language ids of the documents it serves. */
  vscodeLanguageIds: readonly string[];
  syntax: SyntaxSpec;
  locate: LocateSpec;
  module: ModuleSpec;
  candidates: CandidateSpec;
  testFile: TestFileSpec;
  prompt: PromptSpec;
  candidateRun: CandidateRunSpec;
  /** The files and entry of a sandbox run (mode `script`) that runs `testFile` and prints the lines of `moduleFile` it ran. */
  coverageRun: (moduleFile: string, testFile: string) => { files: Record<string, string>; entry: string };
  runner: RunnerSpec;
}

export interface SyntaxSpec {
  /** The Markdown fence's info string. */
  fence: string;
  lineComment: string;
  /** A top-level line that imports something (a test file's header; the imports a long module's prompt keeps). */
  importLine: RegExp;
}

export interface LocateSpec {
  /** The function or method the tests import, around a 0-based line; throws `no-definition` outside one. */
  functionAt: (lines: string[], line: number) => Omit<LocatedFunction, 'language'>;
  /** Whether the module exports the function (or its class), so a test can import it. */
  isExported: (lines: string[], name: string, className?: string) => boolean;
}

export interface ModuleSpec {
  /** Throws when no test could import a module of this file name. */
  checkFileName?: (fileName: string) => void;
  /** An ES module (import/export), not CommonJS; decides how a test file imports. */
  isEsModule: (fileName: string, moduleText: string) => boolean;
  /** The import of `name` (the function, or its class) from the module under test, as a test file writes it. */
  importLine: (name: string, mod: ModuleRef) => string;
}

export interface CandidateSpec {
  /** The tests in a model's answer (`sample`: which generation; `truncatedSample`: it ended at the token limit). */
  parse: (text: string, sample: number, truncatedSample: boolean) => CandidateTest[];
  /** The names an import line declares. */
  importedNames: (line: string) => string[];
  /** A test's code without comments and its own name (two tests that differ only there are duplicates). */
  normalize: (code: string) => string;
  /** Matches a test that checks something. */
  assertion: RegExp;
}

/** The parts of a candidate a test file is composed of. */
export type TestParts = Pick<CandidateTest, 'code' | 'imports' | 'name' | 'testClass'>;

export interface TestFileSpec {
  /** The conventional test file of a module (`geo.py` -> `test_geo.py`). */
  name: (moduleFileName: string) => string;
  /** Test files, which are not modules under test. */
  pattern: RegExp;
  /** The test framework's imports (what a base model's prompt starts the test file with). */
  frameworkImports: (mod: ModuleRef) => string[];
  /** The framework's imports a composed file of these tests needs. */
  frameworkImportsFor: (mod: ModuleRef, tests: readonly TestParts[]) => string[];
  /**
   * Which of the samples' import lines a composed file keeps, asked once per line not yet in the file, in order
   * (`key`: the line as imports are compared).
   */
  sampleImportFilter: (
    fn: Pick<LocatedFunction, 'name' | 'className'>,
    mod: ModuleRef,
    framework: readonly string[],
  ) => (line: string, key: string) => boolean;
  /** The tests as the file's top-level blocks. */
  bodies: (tests: readonly TestParts[]) => string[];
  /** What separates top-level blocks (the style's blank lines). */
  blockGap: string;
  appending: AppendSpec;
}

/** Adding a generated test file's tests to an existing one without breaking it. */
export interface AppendSpec {
  /** The generated file with the names it would redefine renamed. */
  renameClashes?: (existing: string, generated: string) => string;
  /** An import line of the generated file as the existing file can take it; undefined: left out. */
  importFilter?: (existing: string) => (line: string) => string | undefined;
  /** The offset of a block that must stay last (the new tests go before it), or -1. */
  lastBlockStart?: (existing: string) => number;
}

export interface PromptSpec {
  /** How an instruct prompt asks the tests to be written. */
  instructStyle: string;
  /** The start of the first test, which a base model continues. */
  completionOpening: (fn: Pick<LocatedFunction, 'name' | 'className'>) => string;
  /** A base model's stops of this language, before the common ones (the module's file comment, a fence). */
  completionStops: readonly string[];
}

/** How a candidate runs in the sandbox, besides its runner. */
export interface CandidateRunSpec {
  /** Files the runs need besides the module and the test file. */
  extraFiles?: (mod: ModuleRef) => Record<string, string>;
  /** A script that exits 0 when the test file builds (compiles, its imports resolve), run before the tests. */
  buildCheck?: (testFileName: string) => { entry: string; code: string };
  /** Whether a test run's output shows the test ran (the file loaded): the first run is the build check. */
  ranTest?: (stdout: string, title: string) => boolean;
}

export interface TestCounts {
  passed: number;
  failed: number;
  errors: number;
}

export interface PreparedRunner {
  /** What runs the entry: 'pytest', 'unittest', 'python', 'node --test', 'node'. */
  name: string;
  argv: string[];
  env: Record<string, string>;
  /** Address space the runtime reserves beyond the program's own memory (V8 reserves ~1 GiB of virtual space up front). */
  extraAddressSpaceMb: number;
}

export interface RunnerSpec {
  /** The command that runs `entry` in `dir` as a program (`script`) or with the test runner (`tests`); prepares the folder. */
  prepare: (mode: 'script' | 'tests', dir: string, entry: string, memoryMb: number) => Promise<PreparedRunner>;
  /** Folders the runtime needs that must stay visible (read-only) inside the sandbox. */
  runtimeDirs: () => Promise<string[]>;
  /** Test counts from the output (stdout, then stderr) of each of its test runners, by runner name; undefined when it printed none. */
  testCounts: Readonly<Record<string, (output: string) => TestCounts | undefined>>;
}
