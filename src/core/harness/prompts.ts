import type { ChatMessage, GenerationReport, ModelBackend, ModelInfo, SamplingParams } from '../backend/types';
import { testLanguage } from '../testLanguages';
import type { ModuleRef } from './testFile';
import { frameworkImports, importLine } from './testFile';
import type { LocatedFunction } from './types';

/**
 * Prompts in the style of Code Llama's self-instruct (Rozière et al. 2023, section 2.5): an instruction between
 * [INST] tags (here, the model's own chat template) that asks for tests or a solution between [TESTS]/[PYTHON] tags,
 * the answer primed with the opening tag; base models without a chat template are prompted by completion instead: the
 * start of a test file to continue.
 */
export interface BuiltTestPrompt {
  /** The completion prompt, or the instruction (the user message) of a chat prompt. */
  prompt: string;
  addSpecialTokens: boolean;
  stopStrings: string[];
  /** Text the model's output continues (prepended before parsing). */
  continues: string;
  /**
   * `chat-template`: the model's own template renders the instruction and the answer starts with the opening tag;
   * `chat-messages`: the instruction goes to a server's chat API, which applies its template (nothing can be primed).
   */
  format: 'chat-template' | 'chat-messages' | 'completion';
  /** For the chat formats: the conversation to send (a last assistant message is the answer's start). */
  messages?: ChatMessage[];
}

/** Runs a built prompt on the backend: chat for the chat formats, plain generation for completion prompts. */
export function runTestPrompt(
  backend: ModelBackend,
  p: BuiltTestPrompt,
  sampling: SamplingParams,
  signal?: AbortSignal,
): Promise<GenerationReport> {
  const params = { ...sampling, stopStrings: p.stopStrings };
  return p.messages
    ? backend.chat(p.messages, params, signal)
    : backend.generate({ ...params, prompt: p.prompt, addSpecialTokens: p.addSpecialTokens }, signal);
}

/** An instruction to the model's own template, its answer primed with an opening tag (Code Llama's self-instruct). */
function primedChat(instruction: string, tag: string): BuiltTestPrompt {
  return {
    prompt: instruction,
    messages: [
      { role: 'user', content: instruction },
      { role: 'assistant', content: ` ${tag}\n` },
    ],
    addSpecialTokens: false,
    stopStrings: [tag.replace('[', '[/')],
    continues: '',
    format: 'chat-template',
  };
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
export function testPrompt(
  info: ModelInfo,
  fn: LocatedFunction,
  mod: ModuleRef,
  moduleText: string,
  count: number,
): BuiltTestPrompt {
  const lang = testLanguage(fn.language);
  const context = moduleContext(moduleText, fn);
  if (info.chatFormat !== 'codellama-instruct') {
    const instruction =
      `Your task is to write ${count} unit tests for the ${lang.name} ${subject(fn)} below. ${lang.prompt.instructStyle} ` +
      `The tests run against the real code: import it with \`${importLine(fn, mod)}\`. Each test must pass, deterministically (no randomness, no time, no network). ` +
      `The tests must be between [TESTS] and [/TESTS] tags.\n\n${mod.fileName}:\n\`\`\`${lang.syntax.fence}\n${context}\n\`\`\``;
    // A chat API applies the template itself and cannot be primed with "[TESTS]": the answer is parsed for the tags.
    if (info.chatFormat === 'server' || !info.continuesAssistant) {
      return {
        prompt: instruction,
        messages: [{ role: 'user', content: instruction }],
        addSpecialTokens: false,
        stopStrings: ['[/TESTS]'],
        continues: '',
        format: 'chat-messages',
      };
    }
    return primedChat(instruction, '[TESTS]');
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
const asComment = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => `# ${l}`.trimEnd())
    .join('\n');

/** Code Llama's first step: the model writes `count` tests of the question as `# Test case n:` + assert lines. */
export function questionTestsPrompt(info: ModelInfo, q: Question, count: number): BuiltTestPrompt {
  if (info.chatFormat === 'chat-template' && info.continuesAssistant) {
    const instruction =
      `Your task is to write ${count} tests to check the correctness of a function that solves a programming problem. ` +
      'The tests must be between [TESTS] and [/TESTS] tags. You must write the comment "# Test case n:" on a separate line directly above each assert statement, ' +
      'where n represents the test case number, starting from 1 and increasing by one for each subsequent test case.\n\n' +
      `Problem: ${q.question.trim()}`;
    return primedChat(instruction, '[TESTS]');
  }
  const name = q.entryPoint ?? /\bdef\s+(\w+)\s*\(/.exec(q.question)?.[1];
  const problem = isCodeStub(q.question) ? `${q.question.trimEnd()}\n    ...\n` : `${asComment(q.question)}\n`;
  const opening = `# Test case 1:\nassert ${name ? `${name}(` : ''}`;
  const prompt = `${problem}\n\n# ${count} tests${name ? ` of ${name}` : ''}\n${opening}`;
  return {
    prompt,
    addSpecialTokens: true,
    stopStrings: ['\ndef ', '\nclass ', '\nif __name__', '\n```', `\n# Test case ${count + 1}:`],
    continues: opening,
    format: 'completion',
  };
}

/** Code Llama's second step: a solution, shown ONE of the tests (the others stay hidden). */
export function solutionPrompt(info: ModelInfo, q: Question, shownTest: string): BuiltTestPrompt {
  if (info.chatFormat === 'chat-template' && info.continuesAssistant) {
    const instruction =
      'Your task is to write a Python function to solve a programming problem. The Python code must be between [PYTHON] and [/PYTHON] tags. ' +
      'You are given one example test from which you can infer the function signature.\n\n' +
      `Problem: ${q.question.trim()}\nTest: ${shownTest.trim()}`;
    return primedChat(instruction, '[PYTHON]');
  }
  // A base model: the shown test as a comment, then the function to continue.
  const head = `# Example test:\n${asComment(shownTest)}\n`;
  if (isCodeStub(q.question)) {
    return {
      prompt: `${head}${q.question}`,
      addSpecialTokens: true,
      stopStrings: ['\ndef ', '\nclass ', '\nif __name__', '\nprint(', '\n#', '\nassert'],
      continues: q.question,
      format: 'completion',
    };
  }
  const name = q.entryPoint ?? /\bassert\s+(?:not\s+)?(\w+)\s*\(/.exec(shownTest)?.[1] ?? 'solution';
  const opening = `def ${name}(`;
  return {
    prompt: `${asComment(q.question)}\n${head}${opening}`,
    addSpecialTokens: true,
    stopStrings: ['\ndef ', '\nclass ', '\nif __name__', '\nprint(', '\n#', '\nassert'],
    continues: opening,
    format: 'completion',
  };
}
