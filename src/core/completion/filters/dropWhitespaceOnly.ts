import type { CompletionFilter } from './types';

/** A completion with nothing but whitespace is no suggestion. Trailing whitespace is trimmed. */
export const dropWhitespaceOnly: CompletionFilter = (text) => (text.trim() === '' ? '' : text.replace(/\s+$/, ''));
