import type { CompletionFilter } from './types';

/** Single-line mode: keep the completion up to the first line break. */
export const oneLine: CompletionFilter = (text, ctx) => (ctx.multiline ? text : text.split('\n')[0]!);
