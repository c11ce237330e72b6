/** Special tokens a model may spell out when its FIM end token is not a single id (or it leaks another format's). */
const LEAKED_TOKENS = [
  '<EOT>',
  '<PRE>',
  '<SUF>',
  '<MID>',
  '<|fim_',
  '<fim_',
  '<|endoftext|>',
  '</s>',
  '<|file_sep|>',
  '<file_sep>',
  '<|im_end|>',
];

/** Cuts raw output at the comment's closing delimiter or a leaked special token: nothing after it is the comment's. */
export function cutAtClosing(raw: string, closing: readonly string[]): string {
  let end = raw.length;
  for (const d of [...closing, ...LEAKED_TOKENS]) {
    const i = raw.indexOf(d);
    if (i >= 0 && i < end) end = i;
  }
  return raw.slice(0, end);
}
