import { testLanguage } from '../testLanguages';
import type { ModuleRef } from './testFile';
import { frameworkImports, importLine } from './testFile';
import type { LocatedFunction, PromptModel } from './types';

/**
 * Prompts in the style of Code Llama's self-instruct (Rozière et al. 2023, section 2.5): an instruction between
 * [INST] tags (here, the model's own chat template) that asks for tests or a solution between [TESTS]/[PYTHON] tags;
 * base models without a chat template are prompted by completion instead: the start of a test file to continue.
 */
export interface BuiltTestPrompt {
  prompt: string;
  addSpecialTokens: boolean;
  stopStrings: string[];
  /** Text the model's output continues (prepended before parsing). */
  continues: string;
  /** `chat-messages`: the instruction goes as a message to a chat API (PromptModel.chat), which applies the template. */
  format: 'chat-template' | 'chat-messages' | 'completion';
  /** For `chat-messages`: the conversation to send (then `prompt` is its one message's text). */
  messages?: { role: 'user'; content: string }[];
}

/** The code the model sees: the whole module when it is short, else its imports and the function. */
export function moduleContext(moduleText: string, fn: LocatedFunction, maxChars = 4000): string {
  if (moduleText.length <= maxChars) return moduleText.trimEnd();
  const imports = moduleText.split('\n').filter((l) => testLanguage(fn.language).syntax.importLine.test(l));
  const source = fn.source.length > maxChars ? fn.source.slice(0, maxChars) : fn.source;
  return [...imports, '', source].join('\n').trimEnd();
}

/** The subject of the tests, as the instruction names it. */
function subject(fn: LocatedFunction): string {
  return fn.className ? `method \`${fn.name}\` of class \`${fn.className}\`` : `function \`${fn.name}\``;
}

/** The prompt that asks for `count` unit tests of the function. */
export async function testPrompt(model: PromptModel, fn: LocatedFunction, mod: ModuleRef, moduleText: string, count: number): Promise<BuiltTestPrompt> {
  const lang = testLanguage(fn.language);
  const context = moduleContext(moduleText, fn);
  if (model.applyChatTemplate || model.chat) {
    const instruction = `Your task is to write ${count} unit tests for the ${lang.name} ${subject(fn)} below. ${lang.prompt.instructStyle} ` +
      `The tests run against the real code: import it with \`${importLine(fn, mod)}\`. Each test must pass, deterministically (no randomness, no time, no network). ` +
      `The tests must be between [TESTS] and [/TESTS] tags.\n\n${mod.fileName}:\n\`\`\`${lang.syntax.fence}\n${context}\n\`\`\``;
    const messages = [{ role: 'user' as const, content: instruction }];
    // A chat API applies the template itself and cannot be primed with "[TESTS]": the answer is parsed for the tags.
    if (model.chat) return { prompt: instruction, messages, addSpecialTokens: false, stopStrings: ['[/TESTS]'], continues: '', format: 'chat-messages' };
    const rendered = await model.applyChatTemplate!(messages);
    return { prompt: `${rendered} [TESTS]\n`, addSpecialTokens: false, stopStrings: ['[/TESTS]'], continues: '', format: 'chat-template' };
  }
  // A base model continues the start of a test file that follows the module.
  const c = lang.syntax.lineComment;
  const testFileName = lang.testFile.name(mod.fileName);
  const head = [importLine(fn, mod), ...frameworkImports(mod)].join('\n');
  const target = fn.className ? `${fn.className}.${fn.name}` : fn.name;
  const opening = lang.prompt.completionOpening(fn);
  const prompt = `${c} ${mod.fileName}\n${context}\n\n\n${c} ${testFileName}: unit tests of ${target}\n${head}\n\n\n${opening}`;
  const stops = [...lang.prompt.completionStops, `\n${c} ${mod.fileName}`, '\n```'];
  return { prompt, addSpecialTokens: true, stopStrings: stops, continues: opening, format: 'completion' };
}

/** A self-instruct question: natural language, or the start of a Python function (HumanEval's prompts). */
export interface Question {
  id: string;
  question: string;
  /** The function's name when known (HumanEval's entry_point). */
  entryPoint?: string;
}

const isCodeStub = (q: string) => /^\s*(from\s+\S+\s+import|import\s|def\s)/m.test(q) && /\bdef\s+\w+\s*\(/.test(q);
const asComment = (text: string) => text.trim().split('\n').map((l) => `# ${l}`.trimEnd()).join('\n');

/** Code Llama's first step: the model writes `count` tests of the question as `# Test case n:` + assert lines. */
export async function questionTestsPrompt(model: PromptModel, q: Question, count: number): Promise<BuiltTestPrompt> {
  if (model.applyChatTemplate) {
    const instruction = `Your task is to write ${count} tests to check the correctness of a function that solves a programming problem. ` +
      'The tests must be between [TESTS] and [/TESTS] tags. You must write the comment "# Test case n:" on a separate line directly above each assert statement, ' +
      'where n represents the test case number, starting from 1 and increasing by one for each subsequent test case.\n\n' +
      `Problem: ${q.question.trim()}`;
    const rendered = await model.applyChatTemplate([{ role: 'user', content: instruction }]);
    return { prompt: `${rendered} [TESTS]\n`, addSpecialTokens: false, stopStrings: ['[/TESTS]'], continues: '', format: 'chat-template' };
  }
  const name = q.entryPoint ?? /\bdef\s+(\w+)\s*\(/.exec(q.question)?.[1];
  const problem = isCodeStub(q.question) ? `${q.question.trimEnd()}\n    ...\n` : `${asComment(q.question)}\n`;
  const opening = `# Test case 1:\nassert ${name ? `${name}(` : ''}`;
  const prompt = `${problem}\n\n# ${count} tests${name ? ` of ${name}` : ''}\n${opening}`;
  return { prompt, addSpecialTokens: true, stopStrings: ['\ndef ', '\nclass ', '\nif __name__', '\n```', `\n# Test case ${count + 1}:`], continues: opening, format: 'completion' };
}

/** Code Llama's second step: a solution, shown ONE of the tests (the others stay hidden). */
export async function solutionPrompt(model: PromptModel, q: Question, shownTest: string): Promise<BuiltTestPrompt> {
  if (model.applyChatTemplate) {
    const instruction = 'Your task is to write a Python function to solve a programming problem. The Python code must be between [PYTHON] and [/PYTHON] tags. ' +
      'You are given one example test from which you can infer the function signature.\n\n' +
      `Problem: ${q.question.trim()}\nTest: ${shownTest.trim()}`;
    const rendered = await model.applyChatTemplate([{ role: 'user', content: instruction }]);
    return { prompt: `${rendered} [PYTHON]\n`, addSpecialTokens: false, stopStrings: ['[/PYTHON]'], continues: '', format: 'chat-template' };
  }
  // A base model: the shown test as a comment, then the function to continue.
  const head = `# Example test:\n${asComment(shownTest)}\n`;
  if (isCodeStub(q.question)) {
    return { prompt: `${head}${q.question}`, addSpecialTokens: true, stopStrings: ['\ndef ', '\nclass ', '\nif __name__', '\nprint(', '\n#', '\nassert'], continues: q.question, format: 'completion' };
  }
  const name = q.entryPoint ?? /\bassert\s+(?:not\s+)?(\w+)\s*\(/.exec(shownTest)?.[1] ?? 'solution';
  const opening = `def ${name}(`;
  return { prompt: `${asComment(q.question)}\n${head}${opening}`, addSpecialTokens: true, stopStrings: ['\ndef ', '\nclass ', '\nif __name__', '\nprint(', '\n#', '\nassert'], continues: opening, format: 'completion' };
}
