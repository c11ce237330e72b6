import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Tokenizer } from '../../src/core/engine';
import { SHIPPED_MODEL, tmpDir } from '../helpers/model';

describe('chat templates through transformers.js', () => {
  it("renders the tokenizer's own template", async () => {
    const dir = tmpDir('infill-chat-');
    fs.copyFileSync(path.join(SHIPPED_MODEL, 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
    const config = JSON.parse(fs.readFileSync(path.join(SHIPPED_MODEL, 'tokenizer_config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    // Code Llama - Instruct's template, in the Jinja form Hugging Face ships.
    config['chat_template'] =
      "{% for m in messages %}{% if m['role'] == 'user' %}{{ bos_token + '[INST] ' + m['content'].strip() + ' [/INST]' }}{% elif m['role'] == 'assistant' %}{{ ' ' + m['content'].strip() + ' ' + eos_token }}{% endif %}{% endfor %}";
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(config));
    const tok = await Tokenizer.load(dir);
    const text = tok.applyChatTemplate([
      { role: 'user', content: 'Write hello world.' },
      { role: 'assistant', content: 'print(1)' },
      { role: 'user', content: 'Thanks' },
    ]);
    assert.equal(text, '<s>[INST] Write hello world. [/INST] print(1) </s><s>[INST] Thanks [/INST]');
  });

  it('a tokenizer without a template says so', async () => {
    const tok = await Tokenizer.load(SHIPPED_MODEL);
    assert.equal(tok.chatTemplate, undefined);
    assert.throws(() => tok.applyChatTemplate([{ role: 'user', content: 'hi' }]), /no chat template/);
  });
});
