import * as fs from 'node:fs';
import * as path from 'node:path';
import { Tokenizer } from '../../src/core/engine';
import { SHIPPED_MODEL, tmpDir } from './model';

interface TokenizerJson {
  added_tokens: { id: number; content: string; special: boolean; [k: string]: unknown }[];
  model: { vocab: Record<string, number> };
}

/**
 * A tokenizer with another family's FIM tokens: the shipped Llama vocabulary without Code Llama's pieces, plus the
 * given special tokens. Real tokenizers of those families are gigabyte downloads away; their FIM tokens are the
 * only part the prompt builders look at.
 */
export async function tokenizerWithSpecialTokens(tokens: readonly string[], bos = true): Promise<Tokenizer> {
  const dir = tmpDir('infill-tok-');
  const json = JSON.parse(fs.readFileSync(path.join(SHIPPED_MODEL, 'tokenizer.json'), 'utf8')) as TokenizerJson;
  for (const [piece, id] of Object.entries(json.model.vocab)) if (id >= 32000) delete json.model.vocab[piece];
  json.added_tokens = json.added_tokens.filter((t) => t.id < 32000);
  tokens.forEach((content, i) => {
    json.model.vocab[content] = 32000 + i;
    json.added_tokens.push({
      id: 32000 + i,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    });
  });
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(json));
  const config = JSON.parse(fs.readFileSync(path.join(SHIPPED_MODEL, 'tokenizer_config.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  config['add_bos_token'] = bos;
  delete config['added_tokens_decoder'];
  config['additional_special_tokens'] = [...tokens];
  fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(config));
  return Tokenizer.load(dir);
}
