import { InfillError } from '../errors';
import type { ChatMessage } from './types';

// Code Llama - Instruct's dialog format, as Meta's reference `chat_completion` (codellama/llama/generation.py) builds it.
export const B_INST = '[INST]';
export const E_INST = '[/INST]';
export const B_SYS = '<<SYS>>\n';
export const E_SYS = '\n<</SYS>>\n\n';
/** Tags Meta's code refuses in any message ("special tags are not allowed as part of the prompt"). */
export const SPECIAL_TAGS: readonly string[] = [B_INST, E_INST, '<<SYS>>', '<</SYS>>'];
const BOS = '<s>';
const EOS = '</s>';

/**
 * The prompt text for a dialog: an optional system message, then user/assistant turns alternating, ending with the
 * user's. Each finished exchange is `<s>[INST] {user} [/INST] {answer} </s>` (Meta encodes it with bos and eos), the
 * last one `<s>[INST] {user} [/INST]`; the system message goes into the first user message between <<SYS>> tags.
 * Contents are stripped, as Meta's code does. Encoding this text with the model's tokenizer gives Meta's token ids
 * (the `<s>`/`</s>` strings parse as the special tokens; a unit test checks it on the Llama tokenizer).
 */
export function codeLlamaInstructPrompt(messages: readonly ChatMessage[]): string {
  let dialog = [...messages];
  if (dialog[0]?.role === 'system') {
    const [system, first, ...rest] = dialog;
    if (!first) throw new Error('a dialog needs a user message after the system message');
    dialog = [{ role: first.role, content: B_SYS + system.content + E_SYS + first.content }, ...rest];
  }
  dialog.forEach((m, i) => {
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (m.role !== expected) {
      throw new Error(
        "the model only supports 'system', 'user' and 'assistant' roles, starting with 'system', then 'user' and alternating (u/a/u/a/u...)",
      );
    }
  });
  const last = dialog[dialog.length - 1];
  if (last?.role !== 'user') throw new Error("the last message of a dialog must be the user's");
  let prompt = '';
  for (let i = 0; i + 1 < dialog.length; i += 2) {
    prompt += `${BOS}${B_INST} ${strip(dialog[i]!.content)} ${E_INST} ${strip(dialog[i + 1]!.content)} ${EOS}`;
  }
  return prompt + `${BOS}${B_INST} ${strip(last.content)} ${E_INST}`;
}

/** Python's str.strip(): whitespace at both ends. */
function strip(s: string): string {
  return s.trim();
}

/** The first forbidden string found in a text, if any. */
export function findForbidden(text: string, forbidden: readonly string[]): string | undefined {
  return forbidden.find((tag) => tag !== '' && text.includes(tag));
}

/**
 * Refuses user text that contains reserved strings, as Meta's reference code refuses the special tags: such text could
 * close the user's turn and speak for the system or the assistant. `where` names the text for the message.
 */
export function refuseReserved(text: string, forbidden: readonly string[], where: string): void {
  const tag = findForbidden(text, forbidden);
  if (tag !== undefined) {
    throw new InfillError(
      'bad-arguments',
      `${where} contains "${tag.replace(/\n/g, '\\n')}", which the chat prompt format reserves; special tags are not allowed as part of the prompt`,
      `Remove "${tag.trim()}" from ${where.charAt(0).toLowerCase()}${where.slice(1)} and ask again`,
    );
  }
}
