import { strict as assert } from 'node:assert';
import llamaTokenizer from 'llama-tokenizer-js';
import { Tokenizer } from '../../src/core/engine';
import { buildFimPrompt, detectFimFamily, endsOnTokenBoundary } from '../../src/core/fim';
import { InfillError } from '../../src/core/errors';
import { SHIPPED_MODEL } from '../helpers/model';
import { tokenizerWithSpecialTokens } from '../helpers/tokenizers';

// Meta's construction (codellama/llama/generation.py, infilling_prompt_tokens), on llama-tokenizer-js: an independent
// implementation of the Llama SentencePiece tokenizer. encode() adds the dummy prefix space; encode_infilling() drops
// the tokens of '☺' so that no space is implied.
const BOS = 1,
  PRE = 32007,
  SUF = 32008,
  MID = 32009;
const metaEncode = (s: string): number[] => llamaTokenizer.encode(s, false, true);
const metaEncodeInfilling = (s: string): number[] => metaEncode('☺' + s).slice(2);
const metaPsm = (pre: string, suf: string) => [BOS, PRE, ...metaEncode(pre), SUF, ...metaEncodeInfilling(suf), MID];
const metaSpm = (pre: string, suf: string) => [BOS, PRE, SUF, ...metaEncodeInfilling(suf), MID, ...metaEncode(pre)];

const CASES: { name: string; prefix: string; suffix: string }[] = [
  { name: 'plain code', prefix: 'def add(a, b):\n    return ', suffix: '\n\nprint(add(1, 2))\n' },
  { name: 'empty prefix', prefix: '', suffix: 'import os\n' },
  { name: 'empty suffix', prefix: 'for i in range(10):\n    ', suffix: '' },
  { name: 'both empty', prefix: '', suffix: '' },
  { name: 'unicode', prefix: '# Grüße, 你好 🦙\ns = "', suffix: '"  # ☺ naïve\n' },
  { name: 'leading spaces', prefix: '    x = 1\n', suffix: '    y = 2\n        z = 3\n' },
  { name: 'CRLF', prefix: 'a = 1\r\nb = ', suffix: '\r\nc = 3\r\n' },
  { name: 'suffix starting with a space', prefix: 'x =', suffix: ' 42\n' },
];

describe('FIM prompts', () => {
  let tokenizer: Tokenizer;
  before(async () => {
    tokenizer = await Tokenizer.load(SHIPPED_MODEL);
  });

  describe("Code Llama, token for token with Meta's construction", () => {
    for (const c of CASES) {
      it(`PSM: ${c.name}`, () => {
        const prompt = buildFimPrompt(tokenizer, c.prefix, c.suffix, { order: 'psm' });
        assert.deepEqual(prompt.ids, metaPsm(c.prefix, c.suffix));
        assert.equal(prompt.label, 'codellama-psm');
      });
      it(`SPM: ${c.name}`, () => {
        const prefix = c.prefix === '' || c.prefix.endsWith('\n') ? c.prefix : c.prefix + '\n';
        const prompt = buildFimPrompt(tokenizer, prefix, c.suffix, { order: 'spm' });
        assert.deepEqual(prompt.ids, metaSpm(prefix, c.suffix));
        assert.equal(prompt.label, 'codellama-spm');
      });
    }

    it('stops on ▁<EOT>', () => {
      assert.deepEqual(buildFimPrompt(tokenizer, 'a', 'b').stopTokenIds, [32010]);
    });

    it('uses SPM only where the prefix ends on a token boundary', () => {
      assert.equal(buildFimPrompt(tokenizer, 'x = fo', '\n', { order: 'spm' }).order, 'psm');
      assert.equal(buildFimPrompt(tokenizer, 'x = 1\n', '\n', { order: 'spm' }).order, 'spm');
      assert.equal(buildFimPrompt(tokenizer, 'x = 1\n', '\n', { order: 'auto' }).order, 'spm');
      assert.equal(buildFimPrompt(tokenizer, 'x = 1\n', '\n', { order: 'psm' }).order, 'psm');
      assert.equal(endsOnTokenBoundary('    '), false);
      assert.equal(endsOnTokenBoundary(''), true);
    });

    it('never turns typed "<PRE>" text into the special token', () => {
      const ids = buildFimPrompt(tokenizer, 'x = "<PRE> <SUF> <MID>"', '', { order: 'psm' }).ids;
      assert.equal(ids.filter((id) => id === PRE).length, 1);
      assert.equal(ids.filter((id) => id === SUF).length, 1);
      assert.equal(ids.filter((id) => id === MID).length, 1);
    });
  });

  describe('other families', () => {
    const families = [
      {
        family: 'qwen',
        tokens: [
          '<|fim_prefix|>',
          '<|fim_suffix|>',
          '<|fim_middle|>',
          '<|endoftext|>',
          '<|fim_pad|>',
          '<|file_sep|>',
          '<|repo_name|>',
        ],
        bos: false,
        spm: false,
        stops: ['<|endoftext|>', '<|fim_pad|>', '<|file_sep|>', '<|repo_name|>', '<|fim_prefix|>'],
      },
      {
        family: 'codegemma',
        tokens: ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_separator|>'],
        bos: true,
        spm: false,
        stops: ['<|file_separator|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'],
      },
      {
        family: 'starcoder',
        tokens: ['<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<|endoftext|>', '<file_sep>'],
        bos: false,
        spm: true,
        stops: ['<|endoftext|>', '<file_sep>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>'],
      },
      {
        family: 'deepseek',
        tokens: ['<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>', '<|EOT|>'],
        bos: true,
        spm: false,
        stops: ['<|EOT|>', '<｜fim▁begin｜>'],
      },
    ] as const;
    for (const f of families) {
      it(`${f.family}: detected from the tokenizer, prefix/suffix/middle tokens around the text, its stop tokens`, async () => {
        const tok = await tokenizerWithSpecialTokens(f.tokens, f.bos);
        assert.equal(detectFimFamily(tok)?.name, f.family);
        const [pre, suf, mid] = f.tokens.slice(0, 3).map((t) => tok.tokenId(t)!);
        const prefix = 'def f(x):\n    return ',
          suffix = '\n\nprint(f(2))\n';
        const prompt = buildFimPrompt(tok, prefix, suffix);
        const ids = prompt.ids;
        const bos = f.bos ? [tok.bosTokenId!] : [];
        assert.deepEqual(ids.slice(0, bos.length + 1), [...bos, pre]);
        const s = ids.indexOf(suf!),
          m = ids.indexOf(mid!);
        assert.ok(s > 0 && m > s && m === ids.length - 1, 'PSM order');
        assert.equal(tok.decodeContinuation(ids.slice(bos.length + 1, s)), prefix);
        assert.equal(tok.decodeContinuation(ids.slice(s + 1, m)), suffix);
        assert.deepEqual(new Set(prompt.stopTokenIds), new Set(f.stops.map((t) => tok.tokenId(t)!)));
        assert.equal(prompt.label, f.spm ? `${f.family}-psm` : f.family);
      });
    }

    it('a tokenizer without FIM tokens is refused with a clear error', async () => {
      const tok = await tokenizerWithSpecialTokens([]);
      assert.equal(detectFimFamily(tok), undefined);
      assert.throws(
        () => buildFimPrompt(tok, 'a', 'b'),
        (err: unknown) => err instanceof InfillError && err.code === 'no-fim-support',
      );
    });

    it('a FIM family the tokenizer lacks is refused when named', async () => {
      const tok = await Tokenizer.load(SHIPPED_MODEL);
      assert.throws(
        () => buildFimPrompt(tok, 'a', 'b', { family: 'qwen' }),
        (err: unknown) => err instanceof InfillError && err.code === 'no-fim-support',
      );
    });
  });
});

describe('FIM prompts with other files as context', () => {
  const chunks = [{ path: 'util.py', text: 'def helper():\n    return 42' }];

  it('Code Llama: the chunks go before the prefix as comments of the current language', async () => {
    const tokenizer = await Tokenizer.load(SHIPPED_MODEL);
    const withContext = buildFimPrompt(tokenizer, 'x = ', '\n', { order: 'psm', context: { path: 'main.py', chunks } });
    assert.deepEqual(withContext.ids, metaPsm('# Path: util.py\n# def helper():\n#     return 42\nx = ', '\n'));
  });

  it('Qwen2.5-Coder: its repository format, <|repo_name|> and <|file_sep|> before the FIM tokens', async () => {
    const tok = await tokenizerWithSpecialTokens(
      [
        '<|fim_prefix|>',
        '<|fim_suffix|>',
        '<|fim_middle|>',
        '<|endoftext|>',
        '<|fim_pad|>',
        '<|file_sep|>',
        '<|repo_name|>',
      ],
      false,
    );
    const ids = buildFimPrompt(tok, 'x = ', '\n', { context: { path: 'main.py', chunks } }).ids;
    const repo = tok.tokenId('<|repo_name|>')!,
      sep = tok.tokenId('<|file_sep|>')!,
      pre = tok.tokenId('<|fim_prefix|>')!;
    assert.equal(ids[0], repo);
    const seps = ids.flatMap((id, i) => (id === sep ? [i] : []));
    assert.equal(seps.length, 2);
    assert.equal(tok.decodeContinuation(ids.slice(seps[0]! + 1, seps[1])), 'util.py\ndef helper():\n    return 42\n');
    assert.equal(tok.decodeContinuation(ids.slice(seps[1]! + 1, ids.indexOf(pre))), 'main.py\n');
  });
});
