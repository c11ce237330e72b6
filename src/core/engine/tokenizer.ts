import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { InfillError } from '../errors';
import { localModelFolder } from './localModelFolder';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Texts that decide whether a vocabulary may be encoded line by line (Tokenizer.linesExact). */
const LINE_SAMPLES = [
  'def add(a, b):\n    return a + b\n',
  'x\n\n\n  indented \t tab\n}\n',
  'import os\r\nprint("é 🦙 ☺")\n# end',
  '    leading spaces\n        more\n',
];
const sameIds = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The model's tokenizer, loaded by transformers.js from the local folder only (no hub lookups), with the two
 * operations infilling needs on top: encoding and decoding text that continues other text, without the
 * implicit leading space SentencePiece tokenizers add.
 */
export class Tokenizer {
  private readonly vocab: Map<string, number>;
  private readonly anchorIds: number[];
  private readonly anchorText: string;
  private readonly specialIds: Set<number>;

  private constructor(readonly inner: PreTrainedTokenizer) {
    this.vocab = inner.get_vocab();
    // Meta's encode_infilling: encode('☺' + s) and drop the tokens of '☺' (which carry SentencePiece's dummy space).
    this.anchorIds = this.encode('☺');
    // Decoding behind a plain token keeps the first generated token's leading space (Meta's decode_infilling).
    const plain = this.encode('a');
    this.anchorText = inner.decode(plain.slice(-1), { skip_special_tokens: false });
    this.decodeAnchor = plain.slice(-1);
    this.specialIds = new Set(inner.all_special_ids);
    this.newlineIds = this.encodeContinuation('\n');
    this.linesExact = LINE_SAMPLES.every(
      (t) =>
        sameIds(this.joinLines(t, false), this.encodeContinuation(t)) &&
        sameIds(this.joinLines(t, true), this.encode(t)),
    );
  }

  /** Remembered continuation encodings of single lines (see encodeLines). */
  private lineIds = new Map<string, number[]>();
  private readonly newlineIds: number[];
  /** Whether this vocabulary encodes text as its lines' encodings joined by the newline's (no merge crosses a newline). */
  readonly linesExact: boolean;

  private joinLines(text: string, leadingSpace: boolean): number[] {
    const ids: number[] = [];
    text.split('\n').forEach((line, i) => {
      if (i > 0) ids.push(...this.newlineIds);
      if (i === 0 && leadingSpace) {
        ids.push(...this.encode(line));
        return;
      }
      let piece = this.lineIds.get(line);
      if (!piece) {
        if (this.lineIds.size >= 20000) this.lineIds = new Map();
        piece = this.encodeContinuation(line);
        this.lineIds.set(line, piece);
      }
      ids.push(...piece);
    });
    return ids;
  }

  /**
   * encode() (leadingSpace) or encodeContinuation() of a long text, built from remembered line encodings where this
   * vocabulary allows it: while the user types, only one line of a 1,000-line prompt is new.
   */
  encodeLines(text: string, leadingSpace: boolean): number[] {
    const exact = this.linesExact && !(leadingSpace && text.startsWith('\n'));
    if (!exact) return leadingSpace ? this.encode(text) : this.encodeContinuation(text);
    return this.joinLines(text, leadingSpace);
  }

  private readonly decodeAnchor: number[];

  /** Loads tokenizer.json and tokenizer_config.json from `dir`, a folder of any name. */
  static async load(dir: string): Promise<Tokenizer> {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    try {
      return new Tokenizer(await AutoTokenizer.from_pretrained(localModelFolder(dir), { local_files_only: true }));
    } catch (err) {
      throw new InfillError(
        'model-corrupt',
        `Cannot load the tokenizer in ${dir}: ${err instanceof Error ? err.message : String(err)}`,
        'Check tokenizer.json and tokenizer_config.json, or download the model again',
        { cause: err },
      );
    }
  }

  get size(): number {
    return this.vocab.size;
  }

  get bosTokenId(): number | undefined {
    return this.inner.bos_token_id ?? undefined;
  }

  get eosTokenId(): number | undefined {
    return this.inner.eos_token_id ?? undefined;
  }

  get addsBos(): boolean {
    return Boolean(this.inner.add_bos_token);
  }

  get chatTemplate(): string | undefined {
    const t: unknown = this.inner.chat_template;
    return typeof t === 'string' && t.length > 0 ? t : undefined;
  }

  /** Id of a token given as its vocabulary string, if the vocabulary has it. */
  tokenId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  isSpecial(id: number): boolean {
    return this.specialIds.has(id);
  }

  /** Encodes text as it would start a document: SentencePiece tokenizers add their dummy leading space. */
  encode(text: string, addSpecialTokens = false): number[] {
    return this.inner.encode(text, { add_special_tokens: addSpecialTokens });
  }

  /** Encodes text that continues other text: no implicit leading space (Meta's encode_infilling). */
  encodeContinuation(text: string): number[] {
    if (text === '') return [];
    const ids = this.encode('☺' + text);
    const n = this.anchorIds.length;
    const anchored = ids.length >= n && this.anchorIds.every((id, i) => ids[i] === id);
    return anchored ? ids.slice(n) : this.encode(text);
  }

  /** Decodes generated tokens that continue other text, keeping a leading space (Meta's decode_infilling). */
  decodeContinuation(ids: readonly number[]): string {
    if (ids.length === 0) return '';
    const text = this.inner.decode([...this.decodeAnchor, ...ids], { skip_special_tokens: true });
    return text.startsWith(this.anchorText) ? text.slice(this.anchorText.length) : text;
  }

  decode(ids: readonly number[], skipSpecialTokens = true): string {
    return this.inner.decode([...ids], { skip_special_tokens: skipSpecialTokens });
  }

  /** Renders a conversation with the tokenizer's chat template, ready to generate the assistant's turn. */
  applyChatTemplate(messages: ChatMessage[]): string {
    if (!this.chatTemplate) throw new Error('this tokenizer has no chat template');
    return this.inner.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true });
  }
}
