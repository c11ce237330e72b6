import * as path from 'node:path';
import type { DocLanguage } from './types';

export const DOC_LANGUAGES: readonly DocLanguage[] = [
  'python',
  'javascript',
  'typescript',
  'java',
  'go',
  'rust',
  'c',
  'cpp',
  'csharp',
];

const BY_LANGUAGE_ID: Record<string, DocLanguage> = {
  python: 'python',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'typescript',
  typescriptreact: 'typescript',
  java: 'java',
  go: 'go',
  rust: 'rust',
  c: 'c',
  cpp: 'cpp',
  'cuda-cpp': 'cpp',
  objectivec: 'c',
  csharp: 'csharp',
};

const BY_EXTENSION: Record<string, DocLanguage> = {
  '.py': 'python',
  '.pyi': 'python',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'typescript',
  '.java': 'java',
  '.go': 'go',
  '.rs': 'rust',
  '.c': 'c',
  '.h': 'c',
  '.cpp': 'cpp',
  '.cc': 'cpp',
  '.cxx': 'cpp',
  '.hpp': 'cpp',
  '.hh': 'cpp',
  '.hxx': 'cpp',
  '.cs': 'csharp',
};

/** The VS Code language ids Infill writes doc comments for. */
export const DOC_LANGUAGE_IDS: readonly string[] = Object.keys(BY_LANGUAGE_ID);

/** The doc language of a VS Code language id or a `DocLanguage` name; undefined when Infill has no convention for it. */
export function docLanguageOf(languageId: string): DocLanguage | undefined {
  return BY_LANGUAGE_ID[languageId];
}

/** The doc language of a file from its extension (the CLI). */
export function docLanguageOfPath(file: string): DocLanguage | undefined {
  return BY_EXTENSION[path.extname(file).toLowerCase()];
}

export const SUPPORTED_LANGUAGES_LINE = 'Python, JavaScript, TypeScript, Java, Go, Rust, C, C++ and C#';
