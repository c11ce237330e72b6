// Writes a Hugging Face tokenizer (tokenizer.json, tokenizer_config.json, special_tokens_map.json) with the
// Llama 2 SentencePiece-BPE vocabulary and merges (embedded in the MIT-licensed npm package llama-tokenizer-js;
// the vocabulary itself is Meta's, under the Llama 2 Community License) plus Code Llama's 16 extra pieces 32000..32015.
// The layout follows the tokenizer.json that Hugging Face ships with codellama/CodeLlama-7b-hf.
// Usage: node models/build/tokenizer.mjs OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
import llamaTokenizer from 'llama-tokenizer-js';

const outDir = process.argv[2];
if (!outDir) throw new Error('usage: node tokenizer.mjs OUT_DIR');

const LLAMA2_VOCAB_SIZE = 32000;
// Code Llama 7B/13B/34B append these pieces, in this order, as ids 32000..32015.
const CODE_LLAMA_EXTRA_PIECES = [
  '▁<SU', '▁<SUF', '▁<PRE', '▁<M', '▁<MID', '▁<E', '▁<EOT', '▁<PRE>', '▁<SUF>', '▁<MID>', '▁<EOT>',
  '▁<EOT><EOT>', '▁<EOT><EOT><EOT>', '▁<EOT><EOT><EOT><EOT>', '▁<EOT><EOT><EOT><EOT><EOT>',
  '▁<EOT><EOT><EOT><EOT><EOT><EOT>',
];
const SPECIAL = { 0: '<unk>', 1: '<s>', 2: '</s>', 32007: '▁<PRE>', 32008: '▁<SUF>', 32009: '▁<MID>', 32010: '▁<EOT>' };

const pieces = llamaTokenizer.vocabById;
if (pieces.length !== LLAMA2_VOCAB_SIZE) throw new Error(`expected ${LLAMA2_VOCAB_SIZE} pieces, got ${pieces.length}`);
const vocab = {};
pieces.forEach((piece, id) => { vocab[piece] = id; });
CODE_LLAMA_EXTRA_PIECES.forEach((piece, i) => { vocab[piece] = LLAMA2_VOCAB_SIZE + i; });
if (vocab['▁<PRE>'] !== 32007 || vocab['▁<EOT>'] !== 32010) throw new Error('Code Llama piece ids are off');

const merges = [...llamaTokenizer.merges.entries()].sort((a, b) => a[1] - b[1]).map(([pair]) => pair);

const addedToken = (id) => ({
  id: Number(id), content: SPECIAL[id], single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
});
const tokenizerJson = {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: Object.keys(SPECIAL).map(addedToken),
  normalizer: {
    type: 'Sequence',
    normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }],
  },
  pre_tokenizer: null,
  post_processor: {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
    pair: [
      { SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: '<s>', type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } },
    ],
    special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
  },
  decoder: {
    type: 'Sequence',
    decoders: [
      { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
      { type: 'ByteFallback' },
      { type: 'Fuse' },
      { type: 'Strip', content: ' ', start: 1, stop: 0 },
    ],
  },
  model: {
    type: 'BPE', dropout: null, unk_token: '<unk>', continuing_subword_prefix: null, end_of_word_suffix: null,
    fuse_unk: true, byte_fallback: true, vocab, merges,
  },
};

const addedTokensDecoder = {};
for (const id of Object.keys(SPECIAL)) {
  addedTokensDecoder[id] = { content: SPECIAL[id], lstrip: false, normalized: false, rstrip: false, single_word: false, special: true };
}
const tokenizerConfig = {
  add_bos_token: true,
  add_eos_token: false,
  added_tokens_decoder: addedTokensDecoder,
  additional_special_tokens: ['▁<PRE>', '▁<MID>', '▁<SUF>', '▁<EOT>'],
  bos_token: '<s>',
  eos_token: '</s>',
  unk_token: '<unk>',
  pad_token: null,
  clean_up_tokenization_spaces: false,
  legacy: null,
  model_max_length: 4096,
  prefix_token: '▁<PRE>',
  middle_token: '▁<MID>',
  suffix_token: '▁<SUF>',
  eot_token: '▁<EOT>',
  fill_token: '<FILL_ME>',
  sp_model_kwargs: {},
  tokenizer_class: 'CodeLlamaTokenizer',
  use_default_system_prompt: false,
};
const specialTokensMap = {
  additional_special_tokens: tokenizerConfig.additional_special_tokens,
  bos_token: '<s>',
  eos_token: '</s>',
  unk_token: '<unk>',
};

fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'tokenizer.json'), JSON.stringify(tokenizerJson));
fs.writeFileSync(path.join(outDir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig, null, 2) + '\n');
fs.writeFileSync(path.join(outDir, 'special_tokens_map.json'), JSON.stringify(specialTokensMap, null, 2) + '\n');
console.log(`tokenizer: ${Object.keys(vocab).length} pieces, ${merges.length} merges -> ${outDir}`);
