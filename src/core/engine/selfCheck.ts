import { detectFimFamily } from '../fim';
import { FIM_REGISTRY } from '../fim/registry';
import type { FimFamilySpec, FimTokens } from '../fim/spec';
import type { Engine } from './engine';

/** A completion model's check at load: does it infill, and end its middle the way its family does? */
export interface FimSelfCheck {
  ok: boolean;
  /** The FIM family the tokenizer has, if any. */
  family?: string;
  /** Each problem, one line ("the tokenizer has no fill-in-the-middle tokens"). Empty when ok. */
  problems: string[];
  /** What to do, when not ok: a model to try. */
  advice?: string;
  /** What the probe generated, and how it ended (absent when no probe ran). */
  probe?: { middle: string; stopReason: string; tokens: number; ms: number };
}

/** The model to point at when a model cannot infill (a base code model of the catalog that runs on a laptop). */
export const FIM_MODEL_SUGGESTION = 'qwen2.5-coder-1.5b';

/**
 * The probe: a trivial line whose middle is a few tokens, between a prefix and a suffix that fix it. A model trained
 * for infilling ends it with its family's end token (Code Llama's ▁<EOT>) within a few tokens.
 */
export const PROBE = {
  prefix: 'def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return ',
  suffix: '\n\n\ndef mul(a, b):\n    return a * b\n',
  maxNewTokens: 16,
} as const;

/** Runs the probe (greedy, a few milliseconds on a small model) and says what is wrong, if anything. */
export async function fimSelfCheck(engine: Engine, signal?: AbortSignal): Promise<FimSelfCheck> {
  const family = detectFimFamily(engine.tokenizer);
  const chatOnly = engine.info.hasChatTemplate;
  if (!family) {
    return {
      ok: false,
      problems: [
        `the tokenizer has no fill-in-the-middle tokens (none of ${FIM_REGISTRY.map((f) => f.displayName).join(', ')})`,
      ],
      advice: chatOnly
        ? `this looks like a chat-only model; completions may be poor; try ${FIM_MODEL_SUGGESTION}`
        : `this is not a code model trained for infilling; try ${FIM_MODEL_SUGGESTION}`,
    };
  }
  const started = performance.now();
  const r = await engine.complete(
    PROBE.prefix,
    PROBE.suffix,
    { maxNewTokens: PROBE.maxNewTokens, sampling: { temperature: 0 }, kind: 'self-check' },
    signal,
  );
  const problems: string[] = [];
  const leaked = controlTokensIn(r.text, [...engine.tokenizer.inner.all_special_tokens]);
  if (leaked.length) problems.push(`FIM control tokens leak into the text: ${leaked.join(' ')}`);
  if (r.stopReason !== 'stop-token') {
    const ended =
      r.stopReason === 'eos'
        ? 'ended with the end-of-text token instead of the FIM end token'
        : `did not end within ${PROBE.maxNewTokens} tokens (${r.stopReason})`;
    problems.push(`a one-line middle ${ended}`);
  }
  const ok = problems.length === 0;
  return {
    ok,
    family: family.name,
    problems,
    advice: ok
      ? undefined
      : chatOnly
        ? `this looks like a chat-only model; completions may be poor; try ${FIM_MODEL_SUGGESTION}`
        : `completions may run on or stop early; try ${FIM_MODEL_SUGGESTION}`,
    probe: {
      middle: r.text,
      stopReason: r.stopReason,
      tokens: r.generatedTokens,
      ms: Math.round(performance.now() - started),
    },
  };
}

/** The special tokens of a FIM family or the tokenizer that appear in model text (they must never reach the editor). */
export function controlTokensIn(text: string, specialTokens: readonly string[]): string[] {
  const specs: readonly FimFamilySpec[] = FIM_REGISTRY;
  const words = (t: FimTokens | undefined): string[] => (t ? [t.prefix, t.suffix, t.middle] : []);
  const fimTokens = specs.flatMap((f) => [...words(f.tokens), ...f.stops, ...words(f.textTokens), ...f.textStops]);
  const candidates = new Set([...fimTokens, ...specialTokens].map((t) => t.replace(/^▁/, '').trim()).filter(Boolean));
  return [...candidates].filter((t) => text.includes(t));
}

/** The self-check as one log line. */
export function selfCheckLine(c: FimSelfCheck): string {
  const probe = c.probe
    ? ` (probe: ${JSON.stringify(c.probe.middle)}, ${c.probe.stopReason}, ${c.probe.tokens} tokens, ${c.probe.ms} ms)`
    : '';
  return c.ok
    ? `FIM self-check passed: ${c.family}${probe}`
    : `FIM self-check failed: ${c.problems.join('; ')}. ${c.advice ?? ''}${probe}`;
}
