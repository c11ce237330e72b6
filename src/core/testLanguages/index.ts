import { javascript } from './javascript';
import { python } from './python';
import type { TestLanguageSpec } from './spec';
import { typescript } from './typescript';

export type { TestLanguageSpec } from './spec';

/**
 * The languages Infill writes tests in and runs them, one entry each: the harness and the sandbox look a language up
 * here instead of branching on it. A new language is a new entry.
 */
export const TEST_LANGUAGES = { python, javascript, typescript } as const satisfies Record<string, TestLanguageSpec>;

/** Languages whose tests Infill writes and runs (the sandbox's runners). */
export type TestLanguage = keyof typeof TEST_LANGUAGES;

export const TEST_LANGUAGE_IDS = Object.keys(TEST_LANGUAGES) as readonly TestLanguage[];

export function testLanguage(id: TestLanguage): TestLanguageSpec {
  return TEST_LANGUAGES[id];
}

/** The test language of a file from its extension; undefined for languages Infill does not write tests for. */
export function testLanguageOfPath(file: string): TestLanguage | undefined {
  return TEST_LANGUAGE_IDS.find((id) => TEST_LANGUAGES[id].sourceFile.test(file));
}

/** The test language of a VS Code document's language id (the ones Generate Tests serves). */
export function testLanguageOfId(languageId: string): TestLanguage | undefined {
  return TEST_LANGUAGE_IDS.find((id) => TEST_LANGUAGES[id].vscodeLanguageIds.includes(languageId));
}

/** The files tests are written for, as a message lists them: `Python (.py), JavaScript (.js) and TypeScript (.ts)`. */
export function testLanguageFiles(): string {
  const each = TEST_LANGUAGE_IDS.map((id) => `${TEST_LANGUAGES[id].name} (${TEST_LANGUAGES[id].extension})`);
  return each.length > 1 ? `${each.slice(0, -1).join(', ')} and ${each[each.length - 1]!}` : each.join('');
}
