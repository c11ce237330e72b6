/**
 * Whitespace token healing. When the cursor sits after the indentation of an otherwise empty line, the prompt would
 * end in the middle of a run of spaces, which SentencePiece and byte-level BPE vocabularies merge with the next word:
 * models then add a stray space or restart the indentation. Instead the indentation is taken out of the prefix (so the
 * prefix ends a line, on a token boundary), and the same indentation is taken off the start of the completion.
 */
export interface HealedPrefix {
  prefix: string;
  /** The indentation moved out of the prefix ('' when nothing was healed). */
  indent: string;
}

export function healTrailingIndent(prefix: string): HealedPrefix {
  const m = /(^|\n)([ \t]+)$/.exec(prefix);
  if (!m) return { prefix, indent: '' };
  const indent = m[2]!;
  return { prefix: prefix.slice(0, prefix.length - indent.length), indent };
}

/** Removes the already-typed indentation from the start of a completion generated for a healed prefix. */
export function stripHealedIndent(text: string, indent: string): string {
  if (!indent) return text;
  if (text.startsWith(indent)) return text.slice(indent.length);
  const lead = /^[ \t]*/.exec(text)![0];
  return text.slice(lead.length);
}

/**
 * The streaming form: holds text back until the leading indentation is decided, then passes deltas through.
 * Returns the wrapped callback and a flush for the end of generation.
 */
export function healedStream(
  indent: string,
  emit: (delta: string) => void,
): { push: (delta: string) => void; flush: () => void } {
  if (!indent) return { push: emit, flush: () => undefined };
  let held = '';
  let decided = false;
  return {
    push(delta) {
      if (decided) {
        emit(delta);
        return;
      }
      held += delta;
      if (held.length >= indent.length || /[^ \t]/.test(held)) {
        decided = true;
        const out = stripHealedIndent(held, indent);
        if (out) emit(out);
      }
    },
    flush() {
      if (!decided && held) emit(stripHealedIndent(held, indent));
    },
  };
}
