import * as os from 'node:os';
import { healedStream, healTrailingIndent, stripHealedIndent } from '../completion/indentHealing';
import { fitPrefix, fitSuffix, lineTokenCounter } from '../completion/tokenWindows';
import {
  buildFimPrompt,
  detectFimFamily,
  type FimContext,
  type FimFamilyName,
  type FimOrderSetting,
  type FimPrompt,
} from '../fim';
import { InfillError } from '../errors';
import { BoundDecoder } from './boundDecoder';
import { OnnxDecoder, readSignature, type Decoder, type DecoderSignature } from './decoder';
import { NativeSession } from './native/nativeSession';
import { commonPrefixLength, truncateCache, type KvCache } from './kvCache';
import { openModelFolder, type ModelConfig, type ModelVariant, type ModelVariantSetting } from './modelFolder';
import { createSession, type ExecutionProvider, type ExecutionProviderSetting } from './providers';
import { DEFAULT_LOOKUP, DraftBudget, draftFromContext } from './promptLookup';
import { GREEDY, sampleToken, seededRandom } from './sampling';
import { TextStream } from './textStream';
import { Tokenizer } from './tokenizer';
import { PreemptedError, type GenerateRequest, type GenerateResult, type StopReason } from './types';

export interface EngineOptions {
  modelDir: string;
  variant?: ModelVariantSetting;
  provider?: ExecutionProviderSetting;
  threads?: number;
  /**
   * See SessionOptions.spinWhileBusy. Default: only when the intra-op threads leave a core free, because a spinning
   * worker on the last core fights the JavaScript thread that samples and streams between steps (on 2 cores with 2
   * threads, spinning made decode steps stall for milliseconds and tok/s vary 4x between runs).
   */
  spinWhileBusy?: boolean;
  /** See SessionOptions.ioBinding (default on). */
  ioBinding?: boolean;
  log?: (line: string) => void;
}

export interface EngineInfo {
  name: string;
  dir: string;
  variant: ModelVariant;
  provider: ExecutionProvider;
  providerNote: string;
  config: ModelConfig;
  signature: DecoderSignature;
  fimFamily: FimFamilyName | undefined;
  hasChatTemplate: boolean;
  /** How the KV cache is kept between steps (see kvCache.ts). */
  kvLayout: 'concat' | 'shared';
  /** Which API runs the graph: onnxruntime's C API with IO binding, or onnxruntime-node's session API. */
  runtime: 'io-binding' | 'session-api';
}

/** Counts since load: what the tests check "never two generations at once" against. */
export interface EngineStats {
  generations: number;
  preempted: number;
  aborted: number;
  /** The most generations that ever ran at the same time (1 by construction). */
  maxConcurrent: number;
}

export interface CompleteOptions {
  maxNewTokens: number;
  family?: FimFamilyName | 'auto';
  order?: FimOrderSetting;
  context?: FimContext;
  maxPrefixTokens?: number;
  maxSuffixTokens?: number;
  sampling?: GenerateRequest['sampling'];
  stopStrings?: readonly string[];
  deadlineMs?: number;
  kind?: string;
  onText?: (delta: string) => void;
}

/** Spinning pays only while a core stays free for the JavaScript thread (see EngineOptions.spinWhileBusy). */
function spinsByDefault(threads: number): boolean {
  return threads > 0 && threads < os.availableParallelism();
}

/**
 * Prefill in chunks so that an abort is honoured within one forward step even on a long prompt. 256 tokens, not more:
 * a chunk's scratch memory grows with its length (the attention scores, heads x chunk x cached positions floats, are
 * about 168 MB for a 512-token chunk at 2,560 positions of a 1.1B model), and 256 prefills as fast (bench/scale: the
 * int4 model's peak fell from 1.38x to 1.26x its weights plus KV cache).
 */
const PREFILL_CHUNK = 256;

/**
 * Loads a Hugging Face ONNX decoder folder and generates with it. Keeps the KV cache of its last sequence and
 * prefills only what a new prompt does not share with it. Runs one generation at a time.
 */
export class Engine {
  private cache: KvCache;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly latestByKind = new Map<string, AbortController>();
  private disposed = false;
  /** Token counts for the context windows, remembered per line across requests (see lineTokenCounter). */
  private readonly countWindowTokens = lineTokenCounter((line) => this.tokenizer.encodeContinuation(line).length);
  private running = 0;
  readonly stats: EngineStats = { generations: 0, preempted: 0, aborted: 0, maxConcurrent: 0 };
  /** Prompt lookup since load: tokens drafted and tokens greedy decoding confirmed (benchmarks report the rate). */
  readonly draftStats = { drafted: 0, accepted: 0 };

  private constructor(
    readonly info: EngineInfo,
    readonly tokenizer: Tokenizer,
    private readonly decoder: Decoder,
  ) {
    this.cache = decoder.emptyCache();
  }

  static async load(options: EngineOptions): Promise<Engine> {
    const folder = openModelFolder(options.modelDir, options.variant ?? 'auto');
    if (folder.variantNote) options.log?.(folder.variantNote);
    const tokenizer = await Tokenizer.load(folder.dir);
    if (tokenizer.size > folder.config.vocabSize) {
      throw new InfillError(
        'tokenizer-mismatch',
        `The tokenizer has ${tokenizer.size} tokens but the model's vocabulary is ${folder.config.vocabSize}`,
        'The tokenizer files belong to another model: copy tokenizer.json and tokenizer_config.json from the same export',
      );
    }
    const { session, provider, providerNote } = await createSession(folder.onnxPath, {
      provider: options.provider ?? 'auto',
      threads: options.threads ?? 0,
      spinWhileBusy: options.spinWhileBusy ?? spinsByDefault(options.threads ?? 0),
      ioBinding: options.ioBinding,
    });
    options.log?.(providerNote);
    const signature = readSignature(session, folder.config);
    const { vocabSize, maxPositions } = folder.config;
    const decoder =
      session instanceof NativeSession
        ? new BoundDecoder(session, signature, vocabSize, maxPositions)
        : new OnnxDecoder(session, signature, vocabSize, maxPositions);
    const logitsMeta = session.outputMetadata.find((m) => m.name === 'logits');
    const graphVocab = logitsMeta && logitsMeta.isTensor ? logitsMeta.shape[2] : undefined;
    if (typeof graphVocab === 'number' && graphVocab < tokenizer.size) {
      await decoder.release();
      throw new InfillError(
        'tokenizer-mismatch',
        `The tokenizer has ${tokenizer.size} tokens but the ONNX graph's logits have ${graphVocab}`,
        'The tokenizer files belong to another model: copy them from the same export as the ONNX file',
      );
    }
    const info: EngineInfo = {
      name: folder.name,
      dir: folder.dir,
      variant: folder.variant,
      provider,
      providerNote,
      config: folder.config,
      signature,
      fimFamily: detectFimFamily(tokenizer)?.name,
      hasChatTemplate: tokenizer.chatTemplate !== undefined,
      kvLayout: 'concat',
      runtime: decoder instanceof BoundDecoder ? 'io-binding' : 'session-api',
    };
    const layout = await decoder.probeLayout(tokenizer.bosTokenId ?? 0);
    info.kvLayout = layout;
    options.log?.(
      layout === 'shared'
        ? 'KV cache: past and present share preallocated buffers (appended in place)'
        : 'KV cache: concatenated by the graph each step',
    );
    return new Engine(info, tokenizer, decoder);
  }

  /** The model's end-of-sequence ids: config, generation_config and tokenizer. */
  get eosTokenIds(): number[] {
    const eos = new Set(this.info.config.eosTokenIds);
    if (this.tokenizer.eosTokenId !== undefined) eos.add(this.tokenizer.eosTokenId);
    return [...eos];
  }

  /**
   * Builds the model family's infilling prompt and generates the middle. Indentation typed on an empty line is healed
   * (see indentHealing.ts): the text returned and streamed is what to insert at the cursor.
   */
  async complete(
    prefix: string,
    suffix: string,
    options: CompleteOptions,
    signal?: AbortSignal,
  ): Promise<GenerateResult & { prompt: FimPrompt }> {
    const count = this.countWindowTokens;
    if (options.maxPrefixTokens !== undefined) prefix = fitPrefix(prefix, options.maxPrefixTokens, count);
    if (options.maxSuffixTokens !== undefined) suffix = fitSuffix(suffix, options.maxSuffixTokens, count);
    const healed = healTrailingIndent(prefix);
    const prompt = buildFimPrompt(this.tokenizer, healed.prefix, suffix, {
      family: options.family,
      order: options.order,
      context: options.context,
    });
    const stream = options.onText ? healedStream(healed.indent, options.onText) : undefined;
    const result = await this.generate(
      {
        promptIds: prompt.ids,
        maxNewTokens: options.maxNewTokens,
        sampling: options.sampling,
        stopTokenIds: prompt.stopTokenIds,
        stopStrings: options.stopStrings,
        deadlineMs: options.deadlineMs,
        kind: options.kind ?? 'complete',
        onText: stream?.push,
      },
      signal,
    );
    stream?.flush();
    return { ...result, text: stripHealedIndent(result.text, healed.indent), prompt };
  }

  /**
   * Generates after `promptIds`. A newer request of the same kind aborts this one (stop reason `preempted`);
   * requests run one at a time in arrival order.
   */
  async generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    if (this.disposed) throw new Error('the engine was disposed');
    const kind = request.kind ?? 'generate';
    this.latestByKind.get(kind)?.abort(new PreemptedError());
    const controller = new AbortController();
    this.latestByKind.set(kind, controller);
    const forward = () => controller.abort(signal?.reason);
    if (signal?.aborted) forward();
    signal?.addEventListener('abort', forward, { once: true });
    const turn = this.queue.then(() => this.run(request, controller.signal));
    this.queue = turn.catch(() => undefined);
    try {
      return await turn;
    } finally {
      signal?.removeEventListener('abort', forward);
      if (this.latestByKind.get(kind) === controller) this.latestByKind.delete(kind);
    }
  }

  /** Drops the kept KV cache (memory) without unloading the model. */
  clearCache(): void {
    this.cache = this.decoder.emptyCache();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of this.latestByKind.values()) c.abort(new PreemptedError());
    await this.queue;
    await this.decoder.release();
  }

  private async run(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    this.running++;
    this.stats.maxConcurrent = Math.max(this.stats.maxConcurrent, this.running);
    try {
      const result = await this.runOne(request, signal);
      this.stats.generations++;
      if (result.stopReason === 'preempted') this.stats.preempted++;
      if (result.stopReason === 'aborted') this.stats.aborted++;
      return result;
    } finally {
      this.running--;
    }
  }

  private async runOne(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    const start = performance.now();
    const sampling = { ...GREEDY, ...request.sampling };
    const greedy = sampling.temperature <= 0;
    const lookup = { ...DEFAULT_LOOKUP, ...request.lookup };
    const budget = new DraftBudget(lookup.maxDraft);
    const random = seededRandom(sampling.seed);
    const stopIds = new Set(request.stopTokenIds ?? []);
    const eos = new Set(this.eosTokenIds);
    const continuation = request.continuation ?? true;
    const stream = new TextStream(
      (ids) => (continuation ? this.tokenizer.decodeContinuation(ids) : this.tokenizer.decode(ids)),
      request.stopStrings ?? [],
    );
    const prompt = request.promptIds;
    const maxPositions = this.info.config.maxPositions;
    const tokens: number[] = [];
    /** The prompt and the tokens generated so far: what prompt lookup drafts from (one copy per request). */
    const sequence = [...prompt];
    let firstTokenAt = 0;
    let reused = 0;
    let stopReason: StopReason = 'max-tokens';
    const deadline = request.deadlineMs === undefined ? Infinity : start + request.deadlineMs;
    const interrupted = (): StopReason | undefined => {
      if (signal.aborted) return signal.reason instanceof PreemptedError ? 'preempted' : 'aborted';
      if (performance.now() > deadline) return 'deadline';
      return undefined;
    };

    if (prompt.length === 0) throw new Error('empty prompt');
    if (prompt.length >= maxPositions) {
      throw new InfillError(
        'bad-arguments',
        `The prompt has ${prompt.length} tokens; the model takes at most ${maxPositions}`,
        'Send less context',
      );
    }
    let logits: Float32Array | undefined;
    try {
      // Reuse the longest shared prefix; at least the last prompt token is fed again to get its logits.
      reused = Math.min(commonPrefixLength(this.cache.ids, prompt), prompt.length - 1);
      this.cache = this.decoder.reserve(truncateCache(this.cache, reused), prompt.length + request.maxNewTokens);
      let fed = reused;
      while (fed < prompt.length) {
        const why = interrupted();
        if (why) {
          stopReason = why;
          break;
        }
        const end = Math.min(prompt.length, fed + PREFILL_CHUNK);
        const out = await this.decoder.forward(this.cache, prompt.slice(fed, end), end === prompt.length ? 1 : 0);
        this.cache = out.cache;
        logits = out.logits;
        fed = end;
      }
      // Tokens already chosen by a verified draft (prompt lookup): their keys and values are in the cache.
      const ahead: number[] = [];
      const choose = (row: Float32Array, index: number) => {
        if (index < (request.minNewTokens ?? 0)) for (const id of [...eos, ...stopIds]) row[id] = -Infinity;
        return sampleToken(row, sampling, random);
      };
      while (logits || ahead.length > 0) {
        // A token from the verified draft is already in the cache; the logits that follow it are kept for the next turn.
        const fromDraft = ahead.length > 0;
        const token = fromDraft ? ahead.shift()! : choose(logits!, tokens.length);
        if (!fromDraft) logits = undefined;
        if (tokens.length === 0) firstTokenAt = performance.now();
        // A request's own stop token first: a FIM end token that the model's generation_config also lists as an eos id
        // (the shipped model's does) ended the middle as FIM asks, and the reason says so.
        if (stopIds.has(token)) {
          stopReason = 'stop-token';
          break;
        }
        if (eos.has(token)) {
          stopReason = 'eos';
          break;
        }
        tokens.push(token);
        sequence.push(token);
        const { delta, stopped } = stream.push(token);
        if (delta) request.onText?.(delta);
        if (stopped) {
          stopReason = 'stop-string';
          break;
        }
        if (tokens.length >= request.maxNewTokens) {
          stopReason = 'max-tokens';
          break;
        }
        if (fromDraft) continue;
        if (this.cache.ids.length + 1 >= maxPositions) {
          stopReason = 'context-full';
          break;
        }
        const why = interrupted();
        if (why) {
          stopReason = why;
          break;
        }
        // Greedy decoding drafts from the context and verifies the draft in the same pass (see promptLookup.ts).
        const room = Math.min(
          request.maxNewTokens - tokens.length - 1,
          maxPositions - this.cache.ids.length - 2,
          budget.next,
        );
        const draft = greedy && room > 0 ? draftFromContext(sequence, room, lookup) : [];
        const out = await this.decoder.forward(this.cache, [token, ...draft], draft.length + 1);
        const rows = out.logits!;
        const vocab = rows.length / (draft.length + 1);
        let accepted = 0;
        while (
          accepted < draft.length &&
          choose(rows.subarray(accepted * vocab, (accepted + 1) * vocab), tokens.length + accepted) === draft[accepted]
        )
          accepted++;
        budget.update(draft.length, accepted);
        this.draftStats.drafted += draft.length;
        this.draftStats.accepted += accepted;
        this.cache =
          accepted < draft.length
            ? truncateCache(out.cache, out.cache.ids.length - (draft.length - accepted))
            : out.cache;
        ahead.push(...draft.slice(0, accepted));
        logits = rows.subarray(accepted * vocab, (accepted + 1) * vocab);
      }
    } catch (err) {
      this.cache = this.decoder.emptyCache();
      throw err;
    }
    if (stopReason !== 'stop-string') {
      const rest = stream.finish();
      if (rest) request.onText?.(rest);
    }
    const end = performance.now();
    const decodeMs = end - (firstTokenAt || end);
    return {
      text: stream.fullText,
      tokens,
      stopReason,
      promptTokens: prompt.length,
      reusedTokens: reused,
      generatedTokens: tokens.length,
      timeToFirstTokenMs: firstTokenAt ? firstTokenAt - start : end - start,
      totalMs: end - start,
      tokensPerSecond: tokens.length > 1 && decodeMs > 0 ? ((tokens.length - 1) * 1000) / decodeMs : 0,
    };
  }
}
